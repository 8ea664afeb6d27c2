"""Action item forms."""

from __future__ import annotations

from django import forms

from nofault.web.accounts.forms import team_filter_field
from nofault.web.choices import ActionStatusChoices


class ActionFilterForm(forms.Form):
    """Filters on the action list and board."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *ActionStatusChoices.choices()], required=False
    )
    owner = forms.CharField(required=False)
    team = team_filter_field()
    due_before = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.ChoiceField(choices=[("", "Overdue?"), ("yes", "Overdue only")], required=False)


class StatusForm(forms.Form):
    """A new status (and, for won't do, why)."""

    status = forms.ChoiceField(choices=ActionStatusChoices.choices())
    reason = forms.CharField(max_length=500, required=False)
