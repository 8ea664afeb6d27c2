"""Incidents: what went wrong in production, who may see it, and its postmortem's due date."""
