"""Jira Cloud (REST API v3, issue webhooks) as a tracker."""

from nofault.web.integrations.trackers.jira.tracker import JiraTracker

TRACKER = JiraTracker()
