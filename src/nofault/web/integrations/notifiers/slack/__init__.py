"""Slack (incoming webhooks, chat.postMessage) as a notifier."""

from nofault.web.integrations.notifiers.slack.notifier import SlackNotifier

NOTIFIER = SlackNotifier()
