"""Rebuild the similarity index (on a schedule); optionally digests and search entries."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nofault.web.insights import services
from nofault.web.postmortems.models import Postmortem


class Command(BaseCommand):
    """`django-admin insights_refresh [--digests] [--search]`."""

    help = "Rebuild the similarity index; with --digests and --search, those first."

    def add_arguments(self, parser: CommandParser) -> None:
        """Options."""
        parser.add_argument("--digests", action="store_true", help="Re-read every digest.")
        parser.add_argument("--search", action="store_true", help="Rewrite the search index.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run."""
        start = time.perf_counter()
        if options["digests"]:
            for pm in Postmortem.objects.iterator(chunk_size=500):
                services.postmortem_digest_refresh(postmortem=pm)
            self.stdout.write(f"digests re-read ({time.perf_counter() - start:.1f} s)")
        if options["search"]:
            from nofault.web.search.services import search_reindex

            count = search_reindex()
            took = time.perf_counter() - start
            self.stdout.write(f"search index: {count} objects ({took:.1f} s)")
        index = services.similarity_index_rebuild()
        services.data_version_bump()
        self.stdout.write(
            f"similarity index: {len(index)} postmortems ({time.perf_counter() - start:.1f} s)"
        )
