"""Integrations: alerting tools in, trackers out and back, reminders by Slack and email.

Every vendor is a folder under `sources/`, `trackers/` or `notifiers/` holding its typed
settings, its client and its payload parsing; the registry finds the folders, so adding a
vendor touches nothing else. The vendor code is plain Python (no Django import) so it can be
tested alone; the Django parts (models, views, services) sit beside it in this app.
"""
