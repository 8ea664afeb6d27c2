"""Print how long the guide is: PDF pages in all, before the appendix and before the values, and words.

Built for the two example organisations under `examples/` and for organisations the guide was
not written against: the published values in `../shared/corpus/org-values/` (PostHog and
18F by default), each with the default guide.toml. The PDF is laid out by WeasyPrint on A4,
as `nofault guide build -o guide.pdf` writes it; `pdfinfo guide.pdf` gives the same total.

    python benchmarks/guide_pages.py [--corpus DIR] [ORG ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from nofault.core.guide import (
    GuideConfig,
    load_guide_config,
    make_guide,
    read_inputs,
    to_markdown,
)
from nofault.core.guide.pdf import pdf_layout

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "org-values"
EXAMPLES = {
    "acme": ("values.yaml", "principles.md"),
    "tidewater": ("values.yaml", "principles.yaml"),
}


def line(name: str, values: Path, principles: Path | None, config: GuideConfig) -> str:
    """Build one guide and describe its length in a line."""
    guide = make_guide(read_inputs(values, principles), config, today=date(2026, 3, 2))
    started = time.perf_counter()
    layout = pdf_layout(guide)
    seconds = time.perf_counter() - started
    words = len(to_markdown(guide).split())
    return (
        f"{name:<22} {layout.pages:>3} pages; {layout.before_appendix:>3} before the appendix; "
        f"Part {guide.part('values').number} (values in detail) starts on page "
        f"{layout.starts['values']:>2}; "
        f"{words:>6} words in Markdown; laid out in {seconds:.1f} s"
    )


def main() -> int:
    """Print one line per guide."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("orgs", nargs="*", default=["posthog", "18f"])
    args = parser.parse_args()
    for org, (values, principles) in EXAMPLES.items():
        folder = REPO / "examples" / org
        config = load_guide_config(folder / "guide.toml")
        print(line(f"examples/{org}", folder / values, folder / principles, config))
    for org in args.orgs:
        values = args.corpus / f"{org}-values.md"
        if not values.exists():
            print(f"{org}: no {values.name} in {args.corpus}", file=sys.stderr)
            continue
        principles = args.corpus / f"{org}-principles.md"
        name = org.replace("-", " ").title()
        config = GuideConfig.model_validate({"organisation": {"name": name}})
        held_out = principles if principles.exists() else None
        print(line(f"{org} (defaults)", values, held_out, config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
