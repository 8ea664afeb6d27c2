"""The app's settings, with a URLconf that adds a constant view (the cheapest page).

Only benchmarks/web_load.py points DJANGO_SETTINGS_MODULE here; production never imports it.
"""

from nofault.web.settings import *  # noqa: F403

ROOT_URLCONF = "web_bench.urls"
