"""Postmortem forms: the source editor, review steps, structured rows and import."""

from __future__ import annotations

from typing import Any

from django import forms

from nofault.core import document
from nofault.web import choices
from nofault.web.accounts.selectors import user_list_reviewers
from nofault.web.postmortems.prefill import PREFILLED, row_confirmed


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

    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "id": "comment-body"}), max_length=20_000
    )


class ImportForm(forms.Form):
    """An exported postmortem (Markdown, .docx, HTML, Confluence XML) or a zip of them."""

    file = forms.FileField()


def _choices(enum: type) -> list[tuple[str, str]]:
    # Shown as words ("In progress"), stored as the core's values ("in_progress").
    return [("", "—"), *[(m.value, _words(m.value)) for m in enum]]  # type: ignore[attr-defined]


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


class _RowForm(forms.Form):
    """A row of a table of inputs: each input is labelled with its table, row and column."""

    table = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        row = (self.prefix or "").rsplit("-", 1)[-1]
        number = int(row) + 1 if row.isdigit() else None
        for name, field in self.fields.items():
            column = (field.label or name.replace("_", " ")).lower()
            where = f"{self.table}, row {number}" if number else self.table
            field.widget.attrs["aria-label"] = f"{where}, {column}" if where else column

    def confirmed(self, value: Any) -> Any:
        """The row's value once a person vouches for it (rows carry no mark unless overridden)."""
        return value


class TimelineRowForm(_RowForm):
    """One timeline event; a prefilled one can be confirmed as it stands."""

    table = "Timeline"
    time = forms.CharField(max_length=200, required=False)
    text = forms.CharField(max_length=20_000, required=False, label="Event")
    kind = forms.ChoiceField(choices=_choices(document.EventKind), required=False)
    source = forms.CharField(max_length=200, required=False)
    confirm = forms.BooleanField(required=False)

    @property
    def prefilled(self) -> bool:
        """Tell whether the row it was filled from still carries the prefilled mark."""
        return str(self.initial.get("source") or "").startswith(f"{PREFILLED}:")

    def clean(self) -> dict[str, Any]:
        """A row needs at least its time or its text."""
        data = super().clean()
        if not data.get("DELETE") and not (data.get("time") or data.get("text")):
            raise forms.ValidationError("give the event's time and what happened")
        return data

    def to_value(self) -> document.TimelineEvent:
        """The core's TimelineEvent for this row."""
        d = self.cleaned_data
        return document.TimelineEvent(
            time=d["time"], text=d["text"], kind=d["kind"] or None, source=d["source"] or None
        )

    def confirmed(self, value: Any) -> Any:
        """The event without its prefilled mark: a person confirmed or edited it."""
        return row_confirmed(value)


class FactorRowForm(_RowForm):
    """One contributing factor."""

    table = "Contributing factors"
    id = forms.CharField(max_length=40, label="ID")
    text = forms.CharField(max_length=20_000, label="Factor")
    category = forms.ChoiceField(choices=_choices(document.FactorCategory), required=False)

    def to_value(self) -> document.ContributingFactor:
        """The core's ContributingFactor for this row."""
        d = self.cleaned_data
        return document.ContributingFactor(
            id=d["id"], text=d["text"], category=d["category"] or None
        )


class ActionRowForm(_RowForm):
    """One action item."""

    table = "Action items"
    id = forms.CharField(max_length=40, label="ID")
    text = forms.CharField(max_length=20_000, label="Action")
    type = forms.ChoiceField(choices=_choices(document.ActionType), required=False)
    owner = forms.CharField(max_length=200, required=False)
    person = forms.CharField(max_length=200, required=False)
    # An <input type="date"> shows only ISO dates; a localised format would show it empty and
    # save the due date away.
    due = forms.DateField(
        required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    status = forms.ChoiceField(choices=choices.ActionStatusChoices.choices(), initial="open")
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


class RowFormSet(forms.BaseFormSet):
    """Rows of one structured section, each form standing for the value it was filled from.

    A row the person did not touch is neither validated nor read back from the form: it keeps
    the value the document holds, so a save never rewrites (or loses) rows nobody edited.
    """

    def __init__(self, *args: Any, values: list[Any] | None = None, **kwargs: Any) -> None:
        self.values = list(values or [])
        super().__init__(*args, **kwargs)

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs["empty_permitted"] = True
        return super()._construct_form(i, **kwargs)

    def rows(self, *, confirm_all: bool = False) -> list[Any]:
        """The section's values after the edit: kept rows as they were, edited and added ones
        from the form, deleted ones left out. A row confirmed (ticked, or all of them with
        `confirm_all`) or edited loses its prefilled mark and nothing else."""
        out = []
        for index, form in enumerate(self.forms):
            kept = index < len(self.values)
            if not form.has_changed():
                if kept:
                    value = self.values[index]
                    out.append(form.confirmed(value) if confirm_all else value)
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            if kept and set(form.changed_data) <= {"confirm"}:
                out.append(form.confirmed(self.values[index]))
                continue
            out.append(form.confirmed(form.to_value()))
        return out

    def deleted(self) -> int:
        """How many of the rows that were there are ticked for deletion."""
        return sum(
            1
            for form in self.forms[: len(self.values)]
            if form.has_changed() and form.cleaned_data.get("DELETE")
        )


def row_formset(form: type[forms.Form], extra: int = 1) -> type[forms.BaseFormSet]:
    """A formset class for one kind of row, with `extra` blank rows for new ones."""
    return forms.formset_factory(form, formset=RowFormSet, extra=extra, can_delete=True)
