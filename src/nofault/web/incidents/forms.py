"""Incident forms."""

from __future__ import annotations

from django import forms

from nofault.web.accounts.forms import team_filter_field
from nofault.web.choices import IncidentStatusChoices, Severity


class IncidentForm(forms.Form):
    """Create or edit an incident."""

    title = forms.CharField(max_length=300)
    severity = forms.ChoiceField(choices=Severity.choices(), initial="SEV3")
    status = forms.ChoiceField(choices=IncidentStatusChoices.choices(), initial="triggered")
    services = forms.CharField(
        max_length=1000, required=False, help_text="Comma-separated service names."
    )
    started_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    resolved_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    restricted = forms.BooleanField(
        required=False, help_text="Only members and admins can see a restricted incident."
    )

    def clean_services(self) -> list[str]:
        """Split the comma-separated services."""
        raw = self.cleaned_data.get("services") or ""
        return [s.strip() for s in raw.split(",") if s.strip()]


class IncidentFilterForm(forms.Form):
    """Filters on the incident list."""

    q = forms.CharField(required=False, label="Search")
    severity = forms.ChoiceField(
        choices=[("", "Any severity"), *Severity.choices()], required=False
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *IncidentStatusChoices.choices()], required=False
    )
    service = forms.CharField(required=False)
    team = team_filter_field()
    has_postmortem = forms.ChoiceField(
        choices=[("", "Postmortem?"), ("yes", "Has postmortem"), ("no", "No postmortem")],
        required=False,
    )
    overdue = forms.ChoiceField(
        choices=[("", "Overdue?"), ("yes", "Overdue review")], required=False
    )


class MemberForm(forms.Form):
    """Add a member to a restricted incident by username."""

    username = forms.CharField(max_length=150)
