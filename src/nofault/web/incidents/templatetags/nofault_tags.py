"""Template filters that show choices with their labels and colours (never hard-coded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.forms import BoundField
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from nofault.web import choices
from nofault.web.rendering import url_maker, widget_html

register = template.Library()

_SETS: dict[str, type[choices.ChoiceSet]] = {
    "severity": choices.Severity,
    "incident_status": choices.IncidentStatusChoices,
    "postmortem_status": choices.PostmortemStatusChoices,
    "action_status": choices.ActionStatusChoices,
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
    return widget_html(field)


@register.simple_tag
def link(viewname: str, *args: Any) -> str:
    """{% url %} for the links every page repeats (menus, headers): reversed once per view
    name and kind of argument, the argument put in place after that (`url_maker`)."""
    if len(args) > 1:
        return reverse(viewname, args=args)
    prefix = get_script_prefix()
    if not args:
        url = _URLS.get((viewname, prefix))
        if url is None:
            url = _URLS[(viewname, prefix)] = reverse(viewname)
        return url
    kind = type(args[0])
    maker = _MAKERS.get((viewname, prefix, kind))
    if maker is None:
        try:
            maker = url_maker(viewname, 2147483647 if kind is int else "nofault")
        except NoReverseMatch:  # an argument of another kind than the path's
            return reverse(viewname, args=args)
        _MAKERS[(viewname, prefix, kind)] = maker
    return maker(args[0])


_URLS: dict[tuple[str, str], str] = {}
_MAKERS: dict[tuple[str, str, type], Callable[[int | str], str]] = {}
