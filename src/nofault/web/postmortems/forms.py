"""Postmortem forms: the source editor, review steps, structured rows and import."""

from __future__ import annotations

from typing import Any

from django import forms

from nofault.core import document
from nofault.web.accounts.selectors import user_list_reviewers


class SourceForm(forms.Form):
    """The Markdown source and the revision it was based on."""

    source = forms.CharField(widget=forms.Textarea, required=False, strip=False)
    base_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    message = forms.CharField(max_length=300, required=False)


class LintForm(forms.Form):
    """A text to lint."""

    source = forms.CharField(widget=forms.Textarea, required=False, strip=False)


class SubmitForReviewForm(forms.Form):
    """Who reviews the postmortem."""

    reviewers = forms.ModelMultipleChoiceField(
        queryset=user_list_reviewers(), widget=forms.CheckboxSelectMultiple
    )


class CommentForm(forms.Form):
    """A remark on the document."""

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)


class PublishForm(forms.Form):
    """Publish, acknowledging any remaining blame findings."""

    accept_blame_findings = forms.BooleanField(required=False)


class ImportForm(forms.Form):
    """A Markdown file or a zip of them."""

    file = forms.FileField()


def _choices(enum: type) -> list[tuple[str, str]]:
    return [("", "—"), *[(m.value, m.value) for m in enum]]  # type: ignore[attr-defined]


class TimelineRowForm(forms.Form):
    """One timeline event."""

    time = forms.CharField(max_length=100)
    text = forms.CharField(max_length=2000)
    kind = forms.ChoiceField(choices=_choices(document.EventKind), required=False)
    source = forms.CharField(max_length=200, required=False)

    def to_value(self) -> document.TimelineEvent:
        """The core's TimelineEvent for this row."""
        d = self.cleaned_data
        return document.TimelineEvent(
            time=d["time"], text=d["text"], kind=d["kind"] or None, source=d["source"] or None
        )


class FactorRowForm(forms.Form):
    """One contributing factor."""

    id = forms.CharField(max_length=20)
    text = forms.CharField(max_length=2000)
    category = forms.ChoiceField(choices=_choices(document.FactorCategory), required=False)

    def to_value(self) -> document.ContributingFactor:
        """The core's ContributingFactor for this row."""
        d = self.cleaned_data
        return document.ContributingFactor(
            id=d["id"], text=d["text"], category=d["category"] or None
        )


class ActionRowForm(forms.Form):
    """One action item."""

    id = forms.CharField(max_length=20)
    text = forms.CharField(max_length=2000)
    type = forms.ChoiceField(choices=_choices(document.ActionType), required=False)
    owner = forms.CharField(max_length=200, required=False)
    person = forms.CharField(max_length=200, required=False)
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(
        choices=[(m.value, m.value) for m in document.ActionStatus], initial="open"
    )
    reason = forms.CharField(max_length=500, required=False)
    factors = forms.CharField(max_length=200, required=False, help_text="F1, F2")
    tracker = forms.CharField(max_length=500, required=False)

    def to_value(self) -> document.ActionItem:
        """The core's ActionItem for this row."""
        d = self.cleaned_data
        return document.ActionItem(
            id=d["id"],
            text=d["text"],
            type=d["type"] or None,
            owner=d["owner"] or None,
            person=d["person"] or None,
            due=d["due"],
            status=d["status"],
            reason=d["reason"] or None,
            tracker=d["tracker"] or None,
            factors=[f.strip() for f in (d["factors"] or "").split(",") if f.strip()],
        )


TimelineFormSet = forms.formset_factory(TimelineRowForm, extra=1, can_delete=True)
FactorFormSet = forms.formset_factory(FactorRowForm, extra=1, can_delete=True)
ActionFormSet = forms.formset_factory(ActionRowForm, extra=1, can_delete=True)


def formset_values(formset: forms.BaseFormSet) -> list[Any]:
    """The core values of the filled, undeleted rows."""
    values = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        values.append(form.to_value())
    return values
