"""Guide services: keep the inputs, and ask the core to build the guide from them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from nofault.__about__ import __version__
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role
from nofault.web.guides import builder
from nofault.web.guides.builder import GuideInputInvalid
from nofault.web.guides.models import GuideInputs


class GuideUnavailable(ServiceError):
    """The core's guide builder is not installed in this version."""

    reason = "guide_unavailable"
    status_code = 503


@dataclass
class BuiltGuide:
    """A built guide in one format."""

    content: bytes | str
    media_type: str


def guide_inputs_get() -> GuideInputs:
    """The organisation's guide inputs (an empty row on first use)."""
    inputs = GuideInputs.objects.order_by("pk").first()
    return inputs or GuideInputs.objects.create()


def guide_inputs_update(*, actor: Any, values: str, principles: str, config: str) -> GuideInputs:
    """Replace the values, principles and settings (facilitators and admins) if they build.

    Inputs the guide cannot be built from are refused with the field, line and reason, and the
    stored inputs, from which the last good guide is built, stay as they were.
    """
    if not actor.has_role(Role.FACILITATOR):
        raise NotAllowedError("only facilitators and admins can change the guide")
    if not (values.strip() or principles.strip()):
        raise GuideInputInvalid("add the values or the principles", "values")
    _build(values=values, principles=principles, config=config, fmt="md")
    with transaction.atomic():
        inputs = guide_inputs_get()
        inputs.values, inputs.principles, inputs.config = values, principles, config
        inputs.updated_by, inputs.updated_at = actor, timezone.now()
        inputs.save()
        record(actor, AuditAction.GUIDE_CHANGE, ("guide", inputs.pk, "the guide's inputs"))
    return inputs


def _build(*, values: str, principles: str, config: str, fmt: str) -> BuiltGuide:
    try:
        content, media_type = builder.build(
            values=values,
            principles=principles,
            config=config,
            fmt=fmt,
            organisation=settings.NOFAULT_ORGANISATION,
        )
    except (ImportError, AttributeError, TypeError) as exc:
        # The core's guide package is missing from this version, or its interface moved on.
        raise GuideUnavailable(f"the guide builder is not available: {exc}") from None
    return BuiltGuide(content=content, media_type=media_type)


def guide_build(*, inputs: GuideInputs, fmt: str = "html") -> BuiltGuide:
    """Build the guide with nofault.core.guide in md, html, html-body (for a page) or pdf."""
    if fmt not in ("md", "html", "html-body", "pdf"):
        raise ServiceError(f"unknown format {fmt!r}", reason="invalid_format")
    if not (inputs.values.strip() or inputs.principles.strip()):
        raise ServiceError(
            "add the values or the principles first", reason="no_inputs", status_code=404
        )
    if fmt != "pdf":
        return _build(
            values=inputs.values, principles=inputs.principles, config=inputs.config, fmt=fmt
        )
    # A PDF costs seconds to build and changes only with the inputs: kept by their version.
    key = guide_pdf_cache_key(inputs)
    content = cache.get(key)
    if content is None:
        built = _build(
            values=inputs.values, principles=inputs.principles, config=inputs.config, fmt=fmt
        )
        cache.set(key, built.content, timeout=None)
        return built
    return BuiltGuide(content=content, media_type=builder.MEDIA_TYPES["pdf"])


def guide_pdf_cache_key(inputs: GuideInputs) -> str:
    """The cache key of the guide's PDF: a hash of everything it is built from."""
    parts = [__version__, settings.NOFAULT_ORGANISATION, inputs.values, inputs.principles,
             inputs.config]  # fmt: skip
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    return f"nofault:guide-pdf:{digest}"
