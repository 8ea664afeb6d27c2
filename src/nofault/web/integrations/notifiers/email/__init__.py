"""Email (through the web app's mailer) as a notifier."""

from nofault.web.integrations.notifiers.email.notifier import EmailNotifier

NOTIFIER = EmailNotifier()
