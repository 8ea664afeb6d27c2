"""Postmortems: the Markdown source as the truth, its revisions, review, comments, approvals."""
