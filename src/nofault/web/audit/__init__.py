"""The audit trail: an append-only log of who did what, when and from where."""
