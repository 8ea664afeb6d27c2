"""Pure-Python core: the document model, Markdown format, linter, guide and insights."""
