"""GitHub Issues (REST API, issues webhooks) as a tracker."""

from nofault.web.integrations.trackers.github.tracker import GitHubTracker

TRACKER = GitHubTracker()
