"""Template filters for the ledger: a coverage state as a coloured tag, a rate as a percentage."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from nofault.web.reviews.forms import CoverageChoices

register = template.Library()


@register.filter
def coverage_badge(value: str) -> str:
    """Render a coverage state as a coloured tag with its label."""
    return format_html(
        '<span class="tag c-{} coverage-{}">{}</span>',
        CoverageChoices.colour(value),
        value,
        CoverageChoices.label(value),
    )


@register.filter
def percent(value: float | None) -> str:
    """Render a rate as a whole percentage (— for an empty group)."""
    return "—" if value is None else f"{value:.0%}"
