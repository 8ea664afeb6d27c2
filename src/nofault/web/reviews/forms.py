"""Review forms: ledger filters, the policy (admins) and a waiver."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from nofault.core.policy import CoverageState
from nofault.web.choices import Choice, ChoiceSet, Severity
from nofault.web.reviews.models import ServiceTeam

# The longest service or team name the map keeps (a longer one is refused, never cut).
NAME_LIMIT = int(ServiceTeam._meta.get_field("service").max_length or 200)


class CoverageChoices(ChoiceSet):
    """An incident's review state on the ledger."""

    CHOICES = (
        Choice(CoverageState.MISSING.value, "Missing", "red"),
        Choice(CoverageState.OVERDUE.value, "Overdue", "red"),
        Choice(CoverageState.DRAFTING.value, "Drafting", "yellow"),
        Choice(CoverageState.IN_REVIEW.value, "In review", "blue"),
        Choice(CoverageState.PUBLISHED.value, "Published", "green"),
        Choice(CoverageState.WAIVED.value, "Waived", "purple"),
    )


class LedgerFilterForm(forms.Form):
    """Filter the ledger by state, severity, team and text."""

    state = forms.ChoiceField(
        choices=[("", "Any state"), *CoverageChoices.choices()], required=False
    )
    severity = forms.ChoiceField(
        choices=[("", "Any severity"), *Severity.choices()], required=False
    )
    team = forms.CharField(required=False, max_length=200)
    q = forms.CharField(required=False, max_length=200)


class WaiverForm(forms.Form):
    """Waive a review: the reason (the decider's role comes from their account)."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class EscalationForm(forms.Form):
    """How reminders escalate, and who the sponsor is."""

    facilitator_after_days = forms.IntegerField(min_value=0, max_value=365)
    sponsor_after_days = forms.IntegerField(min_value=0, max_value=365)
    repeat_every_hours = forms.IntegerField(min_value=1, max_value=24 * 30)
    digest_weekday = forms.IntegerField(min_value=0, max_value=6)
    recurrence_window_days = forms.IntegerField(min_value=1, max_value=3650)
    sponsor = forms.CharField(required=False, max_length=150)
    independent_reviewer = forms.BooleanField(
        required=False, label="A review needs a reviewer who is not an author"
    )
    draft_readers = forms.ChoiceField(
        choices=[
            ("everyone", "Everyone who may see the incident"),
            ("participants", "Only authors, reviewers, facilitators and admins"),
        ],
        label="Who reads drafts",
        required=False,
    )
    teams = forms.CharField(
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One 'service = team' per line.",
    )

    def clean_sponsor(self) -> str:
        """Name the sponsor by an active person's username (as the account spells it): a
        waiver in the sponsor's role and the last reminders need someone who exists."""
        name = str(self.cleaned_data.get("sponsor") or "").strip()
        if not name:
            return ""
        found = (
            get_user_model()
            .objects.filter(username__iexact=name, is_active=True)
            .values_list("username", flat=True)
            .first()
        )
        if found is None:
            raise forms.ValidationError(f"sponsor: no active person is called {name[:80]!r}")
        return str(found)

    def clean_teams(self) -> dict[str, str]:
        """Read the 'service = team' lines; a line that is not one, names too long to keep,
        or a service mapped twice is refused by its number."""
        mapping: dict[str, str] = {}
        lines: dict[str, int] = {}  # a service (as stored, lower-case) → the line mapping it
        for number, line in enumerate(str(self.cleaned_data.get("teams") or "").splitlines(), 1):
            if not line.strip():
                continue
            service, sep, team = line.partition("=")
            if not (sep and service.strip() and team.strip()):
                raise forms.ValidationError(
                    f"line {number}: write 'service = team' (got {line.strip()[:80]!r})"
                )
            service, team = service.strip(), team.strip()
            for what, name in (("service", service), ("team", team)):
                if len(name) > NAME_LIMIT:
                    raise forms.ValidationError(
                        f"line {number}: a {what} name is at most {NAME_LIMIT} characters "
                        f"(this one has {len(name)})"
                    )
            if service.lower() in lines:
                raise forms.ValidationError(
                    f"line {number}: {service[:80]!r} is already mapped on line "
                    f"{lines[service.lower()]}"
                )
            lines[service.lower()] = number
            mapping[service] = team
        return mapping
