"""Keep the rendered HTML of postmortems saved before it was kept at save (run once after
upgrading, or any time: it fills only what is missing)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from nofault.web.postmortems import services


class Command(BaseCommand):
    """`django-admin postmortems_render`."""

    help = "Render and keep the HTML of postmortems that have none kept yet."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run."""
        start = time.perf_counter()
        count = services.rendered_bodies_fill()
        self.stdout.write(f"rendered {count} postmortems ({time.perf_counter() - start:.1f} s)")
