"""OpenAPI additions: every operation documents the JSON error body and its 4xx statuses."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "reason": {"type": "string", "description": "A stable, machine-readable reason."},
        "detail": {"description": "What went wrong, for people (text, or field errors)."},
    },
    "required": ["reason", "detail"],
}

_STATUSES = {
    "400": "The request is invalid (see reason and detail).",
    "401": "No or wrong credentials.",
    "403": "The caller's role does not allow this.",
    "404": "No such resource, or not visible to the caller.",
    "405": "The method is not allowed here.",
    "406": "The requested format is not available.",
    "409": "A conflict: a stale revision, or the resource already exists.",
    "413": "The body is too large.",
    "415": "The body's media type is not accepted.",
    "429": "Too many attempts; wait and retry.",
}


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the error responses to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in _STATUSES.items():
                responses.setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result
