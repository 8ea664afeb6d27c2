"""Settings and URLs used only by the web benchmarks: the app plus a constant view, the
cheapest page behind the same middleware (profile_pages.py times it beside the pages)."""
