"""Background work: a database-backed task queue, its worker loop and its scheduler."""
