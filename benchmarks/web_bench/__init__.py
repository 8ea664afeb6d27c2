"""Settings and URLs used only by benchmarks/web_load.py: the app plus a constant view."""
