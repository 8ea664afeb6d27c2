"""People: local accounts, roles, API tokens and login throttling."""
