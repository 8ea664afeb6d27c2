"""PagerDuty (Webhooks V3) as an incident source."""

from nofault.web.integrations.sources.pagerduty.source import PagerDutySource

SOURCE = PagerDutySource()
