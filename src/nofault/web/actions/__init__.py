"""Action items: read from each postmortem's table, followed through to closing."""
