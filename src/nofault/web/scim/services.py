"""SCIM services: issue and check a provisioning client's token; create, update and
deactivate people and save teams as the identity provider says, through the account services."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nofault.web.accounts.models import Team, User
from nofault.web.accounts.services import (
    team_delete,
    team_save,
    user_deactivate,
    user_provision,
    user_set_role,
)
from nofault.web.api_errors import ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role
from nofault.web.scim.models import ScimPerson, ScimTeam, ScimToken


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scim_token_create(*, name: str, actor: Any = None) -> str:
    """Issue a bearer token for the named SCIM client (replacing its old one); return the
    secret, which is shown this once: only its hash is kept."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError("a SCIM client needs a name of at most 100 characters")
    secret = "scim_" + secrets.token_urlsafe(32)
    creator = actor if isinstance(actor, User) and actor.pk else None
    with transaction.atomic():
        ScimToken.objects.filter(name=name).delete()
        ScimToken.objects.create(name=name, key_hash=_digest(secret), created_by=creator)
        record(actor, AuditAction.TOKEN_CREATE, detail={"scim_client": name})
    return secret


def scim_token_revoke(*, name: str, actor: Any = None) -> bool:
    """Revoke the named SCIM client's token; tell whether there was one."""
    with transaction.atomic():
        deleted, _ = ScimToken.objects.filter(name=name.strip()).delete()
        if deleted:
            record(actor, AuditAction.TOKEN_REVOKE, detail={"scim_client": name.strip()})
    return bool(deleted)


def scim_token_check(*, secret: str) -> ScimToken | None:
    """The SCIM client whose token this is, or None; notes when it was last used."""
    if not secret or len(secret) > 200:
        return None
    token = ScimToken.objects.filter(key_hash=_digest(secret)).first()
    if token is not None:
        token.last_used_at = timezone.now()
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def scim_actor(token: ScimToken) -> User:
    """Who the account services see acting for a SCIM client: an admin that is no account."""
    return User(username=f"scim:{token.name}"[:150], role=Role.ADMIN)


@dataclass
class PersonFields:
    """What a SCIM request says about a person; None leaves a field as it is."""

    username: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    active: bool | None = None
    external_id: str | None = None


def _check_username(username: str, user: User) -> None:
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise ServiceError(f"userName {username!r}: {' '.join(exc.messages)}") from None
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise ServiceError(f"the username {username!r} is taken", reason="exists", status_code=409)


def _check_email(email: str, user: User) -> None:
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ServiceError(
            f"someone already has the address {email}", reason="exists", status_code=409
        )


def _set_external_id(user: User, external_id: str | None) -> None:
    if external_id is not None:
        ScimPerson.objects.update_or_create(user=user, defaults={"external_id": external_id[:254]})


def scim_person_create(*, actor: Any, fields: PersonFields) -> User:
    """Create a person without a password (they sign in through the identity provider)."""
    if not fields.username:
        raise ServiceError("a User needs a userName", reason="invalid_value")
    with transaction.atomic():
        user = user_provision(
            actor=actor,
            username=fields.username,
            email=fields.email or "",
            first_name=fields.first_name or "",
            last_name=fields.last_name or "",
            role=settings.NOFAULT_SCIM_DEFAULT_ROLE,
        )
        _set_external_id(user, fields.external_id)
        if fields.active is False:
            user_deactivate(actor=actor, user=user)
    return user


def scim_person_update(*, actor: Any, user: User, fields: PersonFields) -> User:
    """Apply what the identity provider sent; `active` false deactivates the person (their
    sessions end, their API tokens are revoked) and true lets them sign in again."""
    changed: list[str] = []
    if fields.username is not None and fields.username != user.username:
        _check_username(fields.username, user)
        user.username = fields.username
        changed.append("username")
    if fields.email is not None and fields.email != user.email:
        _check_email(fields.email, user)
        user.email = fields.email
        changed.append("email")
    for name in ("first_name", "last_name"):
        value = getattr(fields, name)
        if value is not None and value[:150] != getattr(user, name):
            setattr(user, name, value[:150])
            changed.append(name)
    with transaction.atomic():
        if changed:
            user.save(update_fields=changed)
        _set_external_id(user, fields.external_id)
        if fields.active is False and user.is_active:
            user_deactivate(actor=actor, user=user)
        elif fields.active is True and not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            record(actor, AuditAction.REACTIVATE, user)
    return user


def scim_person_delete(*, actor: Any, user: User) -> User:
    """A SCIM delete deactivates: the person's postmortems, comments and history stay."""
    return user_deactivate(actor=actor, user=user) if user.is_active else user


def _role_map() -> dict[str, str]:
    return {k.casefold(): v for k, v in settings.NOFAULT_SCIM_ROLE_MAP.items()}


def scim_roles_apply(*, actor: Any, users: Iterable[User]) -> None:
    """Set each person's role from their teams through NOFAULT_SCIM_ROLE_MAP: the highest role
    any of their teams maps to, else NOFAULT_SCIM_DEFAULT_ROLE. Without a map, roles stay as
    admins set them; the last active admin keeps the role, so a sync locks nobody out."""
    role_map = _role_map()
    if not role_map:
        return
    for user in users:
        names = user.teams.values_list("name", flat=True)
        mapped = [role_map[n.casefold()] for n in names if n.casefold() in role_map]
        default = settings.NOFAULT_SCIM_DEFAULT_ROLE
        role = max(mapped, key=lambda r: Role.RANK[r], default=default)
        if role != user.role:
            with suppress(ServiceError):
                user_set_role(actor=actor, user=user, role=role)


def scim_team_save(
    *,
    actor: Any,
    name: str,
    team: Team | None = None,
    members: list[User] | None = None,
    external_id: str | None = None,
) -> Team:
    """Create or rename a team and, when `members` is given, set its members; roles follow
    the team through the role map."""
    before = set(team.members.all()) if team is not None else set()
    after = set(members) if members is not None else before
    renamed = team is not None and team.name != name.strip()
    with transaction.atomic():
        team = team_save(
            actor=actor, name=name, members=sorted(after, key=lambda u: u.pk), team=team
        )
        if external_id is not None:
            ScimTeam.objects.update_or_create(
                team=team, defaults={"external_id": external_id[:254]}
            )
        # A new name may map to another role: then everyone's role is looked at again.
        scim_roles_apply(actor=actor, users=(before | after) if renamed else (before ^ after))
    return team


def scim_team_delete(*, actor: Any, team: Team) -> None:
    """Delete a team; its former members' roles follow the role map."""
    members = list(team.members.all())
    with transaction.atomic():
        team_delete(actor=actor, team=team)
        scim_roles_apply(actor=actor, users=members)
