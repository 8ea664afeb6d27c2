"""Integrations admins switch on in the app: settings encrypted at rest, checked before saving.

The settings' JSON is stored as a Fernet token under `NOFAULT_ENCRYPTION_KEY` when it is set
(Fernet keys separated by commas: the first encrypts, every one decrypts), else under a key
derived (HKDF-SHA256) from `SECRET_KEY`, which always decrypts too. A key is rotated by putting
the new one first and running `integration_settings_reencrypt` before the old one is dropped.
A secret is never given back to a page: the form says only whether it is set, and a blank
input keeps it.
"""

from __future__ import annotations

import base64
import json
import os
import types
import typing
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings as django_settings
from django.db import transaction
from pydantic import BaseModel, SecretStr, ValidationError

from nofault.web.audit.services import record
from nofault.web.choices import AuditAction
from nofault.web.integrations.models import IntegrationKind, IntegrationSetting

# Words that make a field write-only whatever its type (`project_key` names no secret).
SECRET_WORDS = frozenset({"secret", "secrets", "token", "tokens", "password", "passwords"})
MAX_VALUE_CHARS = 4000  # one input's text; settings are names, addresses and tokens


class SettingRefused(ValueError):
    """The settings do not validate: `field` says which one, `reason` why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _fernet() -> MultiFernet:
    configured = getattr(django_settings, "NOFAULT_ENCRYPTION_KEY", None) or os.environ.get(
        "NOFAULT_ENCRYPTION_KEY", ""
    )
    keys = [k.strip() for k in str(configured).split(",") if k.strip()]
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"nofault integration settings"
    ).derive(django_settings.SECRET_KEY.encode())
    # The key derived from SECRET_KEY always decrypts, so setting NOFAULT_ENCRYPTION_KEY later
    # loses nothing saved before.
    keys.append(base64.urlsafe_b64encode(derived).decode())
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(data: dict[str, Any]) -> str:
    """Return the settings as a Fernet token."""
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict[str, Any]:
    """Return the settings a token holds; a token no key opens is an error naming the fix."""
    try:
        return dict(json.loads(_fernet().decrypt(token.encode())))
    except InvalidToken as exc:
        raise ValueError(
            "saved integration settings cannot be decrypted: SECRET_KEY or "
            "NOFAULT_ENCRYPTION_KEY changed (keep the old key after the new one)"
        ) from exc


def saved_entries(kind: str | None = None, name: str | None = None) -> dict[tuple[str, str], Any]:
    """Return {(kind, name): settings} of the integrations saved in the app."""
    rows = IntegrationSetting.objects.all()
    if kind is not None:
        rows = rows.filter(kind=kind)
    if name is not None:
        rows = rows.filter(name=name)
    return {(row.kind, row.name): decrypt(row.data) for row in rows}


def integration_settings_reencrypt() -> int:
    """Encrypt every saved entry again under the first key; return how many were."""
    fernet = _fernet()
    count = 0
    with transaction.atomic():
        for row in IntegrationSetting.objects.select_for_update():
            row.data = fernet.rotate(row.data.encode()).decode()
            row.save(update_fields=["data"])
            count += 1
    return count


# --- the form an integration's settings model gives ---------------------------------------


@dataclass(frozen=True, slots=True)
class SettingField:
    """One input of an integration's form: its name, how it is typed, and whether it is secret."""

    name: str
    input: str  # text, number, checkbox, list (comma-separated), map (key=value, comma-separated)
    secret: bool
    required: bool
    help: str = ""


def _bare(annotation: Any) -> Any:
    """Return the annotation without `| None`."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        others = [a for a in typing.get_args(annotation) if a is not type(None)]
        return others[0] if len(others) == 1 else str
    return annotation


def setting_fields(model: type[BaseModel]) -> list[SettingField]:
    """Return the inputs of a settings model, `enabled` aside (switching off deletes)."""
    fields = []
    for name, info in model.model_fields.items():
        if name == "enabled":
            continue
        bare = _bare(info.annotation)
        origin = typing.get_origin(bare)
        inner = typing.get_args(bare)[0] if origin in (list, tuple) else bare
        secret = inner is SecretStr or bool(SECRET_WORDS & set(name.split("_")))
        if origin is dict:
            kind = "map"
        elif origin in (list, tuple):
            kind = "list"
        elif bare is bool:
            kind = "checkbox"
        elif bare in (int, float):
            kind = "number"
        else:
            kind = "text"
        fields.append(SettingField(name, kind, secret, info.is_required(), info.description or ""))
    return fields


def _plain(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def shown_values(model: type[BaseModel], data: dict[str, Any]) -> dict[str, str]:
    """Return what the form shows of each non-secret field: the saved value, else the default."""
    shown = {}
    for field in setting_fields(model):
        if field.secret:
            continue
        info = model.model_fields[field.name]
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        value = data.get(field.name, default)
        if value is None:
            shown[field.name] = ""
        elif field.input == "list":
            shown[field.name] = ", ".join(str(v) for v in value)
        elif field.input == "map":
            shown[field.name] = ", ".join(f"{k}={v}" for k, v in dict(value).items())
        else:
            shown[field.name] = str(value)
    return shown


def _read(field: SettingField, raw: str) -> Any:
    if len(raw) > MAX_VALUE_CHARS:
        raise SettingRefused(field.name, f"longer than {MAX_VALUE_CHARS} characters")
    if field.input == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if field.input == "map":
        pairs = {}
        for part in (p.strip() for p in raw.split(",") if p.strip()):
            key, equals, value = part.partition("=")
            if not equals or not key.strip():
                raise SettingRefused(field.name, f"{part!r} is not key=value")
            pairs[key.strip()] = value.strip()
        return pairs
    return raw.strip()


def settings_from_form(model: type[BaseModel], form: Any, stored: dict[str, Any]) -> dict[str, Any]:
    """Return the settings the form's values make, checked by the model.

    A blank secret keeps the stored one; a blank optional field takes its default. Raise
    `SettingRefused` naming the first field that does not validate.
    """
    data: dict[str, Any] = {}
    for field in setting_fields(model):
        if field.input == "checkbox":
            data[field.name] = form.get(field.name) in ("on", "true", "1")
            continue
        raw = str(form.get(field.name) or "")
        if not raw.strip():
            if field.secret and field.name in stored:
                data[field.name] = stored[field.name]
            continue
        data[field.name] = _read(field, raw)
    try:
        model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][:1]) or "settings"
        raise SettingRefused(where, first["msg"]) from exc
    return {key: _plain(value) for key, value in data.items()}


# --- services ---------------------------------------------------------------------------------


def integration_setting_save(
    *, kind: IntegrationKind, name: str, data: dict[str, Any], actor: Any
) -> IntegrationSetting:
    """Switch an integration on (or change it) with checked settings; record what changed."""
    with transaction.atomic():
        row = IntegrationSetting.objects.select_for_update().filter(kind=kind, name=name).first()
        before = decrypt(row.data) if row else {}
        if row is not None and before == data:
            return row  # nothing changed: the stored row stays as it was, and nothing is recorded
        row = row or IntegrationSetting(kind=kind, name=name)
        row.data = encrypt(data)
        row.updated_by = actor if getattr(actor, "pk", None) else None
        row.save()
        changed = sorted(k for k in before.keys() | data.keys() if before.get(k) != data.get(k))
        record(
            actor,
            AuditAction.INTEGRATION_CHANGE,
            ("integration", row.pk, f"{kind}.{name}"),
            detail={"kind": kind, "name": name, "on": True, "changed": changed},
        )
    return row


def integration_setting_delete(*, kind: IntegrationKind, name: str, actor: Any) -> bool:
    """Switch an integration saved in the app off (delete its settings); False if it was off."""
    with transaction.atomic():
        row = IntegrationSetting.objects.filter(kind=kind, name=name).first()
        if row is None:
            return False
        pk = row.pk
        row.delete()
        record(
            actor,
            AuditAction.INTEGRATION_CHANGE,
            ("integration", pk, f"{kind}.{name}"),
            detail={"kind": kind, "name": name, "on": False},
        )
    return True
