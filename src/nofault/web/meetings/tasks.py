"""The worker's task that mails one invitation to one person."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from nofault.web.meetings.models import ReviewMeeting
from nofault.web.meetings.services import INVITE_TASK, invitation, meeting_link
from nofault.web.worker.tasks import task


@task(INVITE_TASK, max_attempts=5)
def meeting_invite(*, meeting: int, sequence: int, address: str) -> None:
    """Mail the invitation (or cancellation) of one meeting version to one address.

    A version the meeting has moved past is not sent: the newer one is on its way.
    """
    row = ReviewMeeting.objects.select_related("postmortem").filter(pk=meeting).first()
    if row is None or row.sequence != sequence:
        return
    ics = invitation(row, [address])
    verb = "Cancelled" if row.cancelled else "Invitation"
    when = row.starts_at.strftime("%Y-%m-%d %H:%M UTC")
    message = EmailMessage(
        subject=f"{verb}: postmortem review of {row.postmortem.title} ({when})",
        body=f"{verb}: the review meeting of {row.postmortem.title}, {when}.\n\n"
        f"{meeting_link(row.postmortem)}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    method = "CANCEL" if row.cancelled else "REQUEST"
    message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    message.send()
