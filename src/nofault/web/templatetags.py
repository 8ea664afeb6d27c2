"""The project's template library, `{% load nofault_tags %}` (registered in settings): choices
shown with their labels and colours (never hard-coded), widgets and links."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.forms import BoundField
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from nofault.web import choices
from nofault.web.rendering import widget_html

register = template.Library()

_SETS: dict[str, type[choices.ChoiceSet]] = {
    "severity": choices.Severity,
    "incident_status": choices.IncidentStatusChoices,
    "postmortem_status": choices.PostmortemStatusChoices,
    "action_status": choices.ActionStatusChoices,
    "review_level": choices.ReviewLevelChoices,
    "role": choices.Role,
}


@register.filter
def badge(value: str, kind: str) -> str:
    """Render a value as a coloured tag with its label: {{ incident.severity|badge:"severity" }}."""
    choice_set = _SETS[kind]
    return format_html(
        '<span class="tag c-{}">{}</span>', choice_set.colour(value), choice_set.label(value)
    )


@register.filter
def label(value: str, kind: str) -> str:
    """The label of a value."""
    return _SETS[kind].label(value)


@register.filter
def widget(field: BoundField) -> SafeString:
    """A form field's widget, rendered once per value: {{ form.severity|widget }}."""
    # Filters show widgets without a <label>; the field's label names them to screen readers.
    field.field.widget.attrs.setdefault("aria-label", str(field.label))
    return widget_html(field)


# Markdown's marks in escaped HTML: comments, emphasis, code ticks, table rules and pipes,
# and a heading's, list's or quote's mark at the start of a word. One pass, no backtracking.
_MARKDOWN = re.compile(
    r"&lt;!--|--&gt;|\*\*|__|`+|\||-{3,}|(?<![^\s>])#{1,6}(?=\s)|^[ \t]*(?:[-*+]|&gt;)(?=\s)",
    re.MULTILINE,
)
_SPACES = re.compile(r"\s+")


@register.filter
def plain(snippet: SafeString) -> SafeString:
    """A highlighted snippet of Markdown source as plain words (its <mark> tags kept)."""
    text = _MARKDOWN.sub(" ", str(snippet))
    return mark_safe(_SPACES.sub(" ", text).strip())  # escaped text and <mark>s


@register.simple_tag
def link(viewname: str, *args: Any) -> str:
    """{% url %} as a tag that takes its arguments as values: {% link "incidents:detail" key %}."""
    return reverse(viewname, args=args)
