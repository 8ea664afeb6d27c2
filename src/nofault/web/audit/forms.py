"""The audit page's filter."""

from __future__ import annotations

from datetime import date

from django import forms

from nofault.web.audit.models import TARGET_TYPES
from nofault.web.audit.selectors import AuditFilter
from nofault.web.choices import AuditAction

# Dates outside these years are no one's audit question, and date arithmetic near the
# calendar's ends would overflow.
_FIRST, _LAST = date(2000, 1, 1), date(9000, 12, 31)


class AuditFilterForm(forms.Form):
    """Who, what, which kind of target, and from when to when."""

    actor = forms.CharField(max_length=150, required=False, label="Who (username)")
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditAction.choices()], required=False, label="Action"
    )
    target_type = forms.ChoiceField(
        choices=[("", "Any target"), *((t, t) for t in TARGET_TYPES)],
        required=False,
        label="Target type",
    )
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        """Keep the dates within the years the log can hold, the range the right way round."""
        cleaned = super().clean() or {}
        for name in ("since", "until"):
            day = cleaned.get(name)
            if isinstance(day, date) and not _FIRST <= day <= _LAST:
                self.add_error(name, f"a date from {_FIRST:%Y} to {_LAST:%Y}")
        since, until = cleaned.get("since"), cleaned.get("until")
        if isinstance(since, date) and isinstance(until, date) and since > until:
            self.add_error("until", "the range ends before it starts")
        return cleaned

    def chosen(self) -> AuditFilter:
        """The filter the valid form describes."""
        data = self.cleaned_data
        return AuditFilter(
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            target_type=data.get("target_type") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
