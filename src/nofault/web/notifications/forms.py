"""The notification preferences form: a Slack member id is checked before it is kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

# Slack's member ids: U or W and upper-case letters and digits (U0123ABCD).
SLACK_MEMBER_ID = RegexValidator(
    r"^[UW][A-Z0-9]{2,39}$",
    "A Slack member id is U or W followed by letters and digits, such as U0123ABCD "
    "(in Slack: your profile, ⋮, Copy member ID).",
)


class SlackMemberIdField(forms.CharField):
    """A Slack member id, trimmed and upper-cased as Slack writes it, before it is checked."""

    def to_python(self, value: Any) -> str:
        """Return the typed id trimmed and in upper case."""
        return str(super().to_python(value)).upper()


class PreferenceForm(forms.Form):
    """How the person hears about review events: email, Slack and their Slack member id."""

    email = forms.BooleanField(required=False, label="By email")
    slack = forms.BooleanField(required=False, label="In Slack, to my member id")
    slack_id = SlackMemberIdField(
        required=False, max_length=40, label="Slack member id", validators=[SLACK_MEMBER_ID]
    )
    overdue_as_facilitator = forms.BooleanField(
        required=False, label="Also when an action item of a postmortem I facilitate is overdue"
    )

    def clean(self) -> dict[str, Any]:
        """Refuse Slack switched on without a member id to send to."""
        data = super().clean() or {}
        if data.get("slack") and not data.get("slack_id") and "slack_id" not in self.errors:
            self.add_error("slack_id", "Slack messages need your Slack member id.")
        return data
