"""nofault's people and teams as SCIM Users and Groups: django-scim2's adapters, writing
through the SCIM services. Okta and Entra ID shape PATCH differently (a path or a value
object, `members[value eq "…"]` or a value list, booleans or "False"); both are read here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django_scim import constants, exceptions
from django_scim.adapters import SCIMGroup, SCIMUser
from scim2_filter_parser.attr_paths import AttrPath
from scim2_filter_parser.parser import SCIMParserError

from nofault.web.accounts.models import User
from nofault.web.api_errors import ServiceError
from nofault.web.scim import services
from nofault.web.scim.models import ScimPerson, ScimTeam

_ID = re.compile(r"[0-9]{1,18}")
_SCIM_TYPES = {409: "uniqueness", 400: "invalidValue"}


def bad_request(detail: str) -> exceptions.BadRequestError:
    """A 400 with SCIM's error body and `invalidValue`."""
    return exceptions.BadRequestError(detail, scim_type="invalidValue")


@contextmanager
def _service_errors() -> Iterator[None]:
    """A service's refusal answers as a SCIM error with the same status and message."""
    try:
        yield
    except ServiceError as exc:
        raise exceptions.SCIMException(
            exc.message, status=exc.status_code, scim_type=_SCIM_TYPES.get(exc.status_code)
        ) from None


def _text(value: Any, attr: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise bad_request(f'"{attr}" must be a string of at most {limit} characters')
    return value.strip()


def _bool(value: Any, attr: str) -> bool:
    # Entra ID sends "True" and "False" as strings unless told to follow RFC 7644.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f'"{attr}" must be true or false')


def _email(value: Any) -> str:
    """The primary address of an `emails` value (a list, or OneLogin's single object)."""
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, str):
        value = [{"value": value}]
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise bad_request('"emails" must be a list of objects with a "value"')
    if not value:
        return ""
    chosen = next((e for e in value if e.get("primary") is True), value[0])
    address = _text(chosen.get("value", ""), "emails.value", 254)
    try:
        validate_email(address)
    except ValidationError:
        raise bad_request(f"{address!r} is not an email address") from None
    return address


def _users(value: Any) -> list[User]:
    """The people a `members` value names, by id; every one must exist."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
        raise bad_request('"members" must be a list of objects with a "value"')
    ids = [str(m.get("value", "")) for m in value]
    wrong = [i for i in ids if not _ID.fullmatch(i)]
    if wrong:
        raise bad_request(f"no User has the id {wrong[0][:40]!r}")
    found = {str(u.pk): u for u in User.objects.filter(pk__in=[int(i) for i in ids])}
    missing = [i for i in ids if i not in found]
    if missing:
        raise bad_request(f"no User has the id {missing[0]!r}")
    return [found[i] for i in dict.fromkeys(ids)]


class _Operations:
    """PATCH checks shared by Users and Groups: the operations' shape, then one save."""

    obj: Any
    request: Any
    save: Any

    @property
    def actor(self) -> User:
        """Who the account services see acting: the SCIM client the token belongs to."""
        return self.request.scim_actor

    def split_path(self, path: str) -> AttrPath:
        """Parse a PATCH path; one that does not parse is the client's error."""
        if not isinstance(path, str) or len(path) > 500:
            raise exceptions.BadRequestError('"path" must be a string', scim_type="invalidPath")
        try:
            return super().split_path(path)  # type: ignore[misc]
        except SCIMParserError:
            raise exceptions.BadRequestError(
                f"the path {path[:80]!r} does not parse", scim_type="invalidPath"
            ) from None

    def handle_operations(self, operations: Any) -> None:
        """Apply a PATCH's operations, then save once."""
        if not isinstance(operations, list) or len(operations) > 1000:
            raise bad_request('"Operations" must be a list of at most 1000 operations')
        for operation in operations:
            if not isinstance(operation, dict) or not isinstance(operation.get("op"), str):
                raise bad_request('each operation must be an object with an "op"')
            if operation.get("op", "").lower() not in constants.VALID_PATCH_OPS:
                raise bad_request(f"unknown PATCH op {operation['op'][:20]!r}")
            if not operation.get("path") and not isinstance(operation.get("value"), dict):
                raise exceptions.BadRequestError(
                    'an operation without a "path" needs an object "value"', scim_type="noTarget"
                )
        super().handle_operations(operations)  # type: ignore[misc]
        self.save()

    def validate_op_replace(self, path: Any, value: Any, operation: dict[str, Any]) -> None:
        """Values are checked where each attribute is read (Entra ID's "False" included)."""

    validate_op_add = validate_op_remove = validate_op_replace


class ScimUserAdapter(_Operations, SCIMUser):
    """A nofault person as a SCIM User: userName, name, emails, active, externalId, groups."""

    id_field = "id"

    def __init__(self, obj: User, request: Any = None) -> None:
        super().__init__(obj, request=request)
        self.fields = services.PersonFields()

    @property
    def display_name(self) -> str:
        """The full name when known, else the username."""
        return self.obj.get_full_name() or self.obj.username

    @property
    def groups(self) -> list[dict[str, str]]:
        """The person's teams, as SCIM group references."""
        return [
            {
                "value": str(team.pk),
                "$ref": ScimTeamAdapter(team, self.request).location,
                "display": team.name,
            }
            for team in self.obj.teams.all()
        ]

    def to_dict(self) -> dict[str, Any]:
        """The person as a SCIM User resource."""
        external = (
            ScimPerson.objects.filter(user=self.obj).values_list("external_id", flat=True).first()
        )
        joined = self.obj.date_joined.isoformat()
        d: dict[str, Any] = {
            "schemas": [constants.SchemaURI.USER],
            "id": self.id,
            "userName": self.obj.username,
            "name": {
                "givenName": self.obj.first_name,
                "familyName": self.obj.last_name,
                "formatted": self.display_name,
            },
            "displayName": self.display_name,
            "emails": [{"value": self.obj.email, "primary": True}] if self.obj.email else [],
            "active": self.obj.is_active,
            "groups": self.groups,
            "meta": {
                "resourceType": self.resource_type,
                "created": joined,
                "lastModified": joined,
                "location": self.location,
            },
        }
        if external:
            d["externalId"] = external
        return d

    def validate_dict(self, d: Any) -> None:
        """A User needs a userName; the rest is checked as it is read."""
        if "userName" not in d:
            raise bad_request('a User needs a "userName"')

    def from_dict(self, d: dict[str, Any]) -> None:
        """Read a whole User (POST or PUT); nothing is saved until `save`."""
        for key, value in d.items():
            if value is not None:
                self._set(key, None, value)
        name = d.get("name")
        if "displayName" in d and not (isinstance(name, dict) and name):
            first, _, last = _text(d["displayName"], "displayName", 300).partition(" ")
            self.fields.first_name, self.fields.last_name = first, last

    def _set(self, attr: str, sub: str | None, value: Any, complex_path: bool = False) -> None:
        f = self.fields
        if attr == "userName":
            f.username = _text(value, "userName", 150)
        elif attr == "active":
            f.active = _bool(value, "active")
        elif attr == "externalId":
            f.external_id = _text(value, "externalId", 254)
        elif attr == "emails":
            f.email = _text(value, "emails.value", 254) if complex_path else _email(value)
        elif attr == "name" and sub is None:
            if not isinstance(value, dict):
                raise bad_request('"name" must be an object')
            for key in ("givenName", "familyName"):
                if key in value:
                    self._set(key, None, value[key])
        elif attr == "givenName" or (attr == "name" and sub == "givenName"):
            f.first_name = _text(value, "name.givenName", 150)
        elif attr == "familyName" or (attr == "name" and sub == "familyName"):
            f.last_name = _text(value, "name.familyName", 150)
        # Other attributes (title, phoneNumbers, the enterprise extension…) are not kept.

    def handle_replace(self, path: AttrPath, value: Any, operation: dict[str, Any]) -> None:
        """Replace one attribute (Okta sends a value object, Entra ID a path)."""
        attr, sub, _uri = path.first_path
        self._set(attr, sub, value, complex_path=path.is_complex)

    handle_add = handle_replace  # Entra ID adds single-valued attributes with "Add"

    def handle_remove(self, path: AttrPath, value: Any, operation: dict[str, Any]) -> None:
        """Remove an attribute nofault keeps: the address or a name."""
        attr, sub, _uri = path.first_path
        if attr == "emails":
            self.fields.email = ""
        elif attr in ("name", "givenName", "familyName"):
            self._set(attr, sub, "" if sub or attr != "name" else {})

    def save(self) -> None:
        """Create or update the person through the SCIM services."""
        with _service_errors():
            if self.obj.pk is None:
                self.obj = services.scim_person_create(actor=self.actor, fields=self.fields)
            else:
                self.obj = services.scim_person_update(
                    actor=self.actor, user=self.obj, fields=self.fields
                )
        self.fields = services.PersonFields()

    def delete(self) -> None:
        """Deactivate the person: their history stays."""
        with _service_errors():
            services.scim_person_delete(actor=self.actor, user=self.obj)


class ScimTeamAdapter(_Operations, SCIMGroup):
    """A nofault team as a SCIM Group: displayName, members, externalId."""

    id_field = "id"
    ATTR_MAP = {("members", "value", None): "members.value", ("displayName", None, None): "name"}

    def __init__(self, obj: Any, request: Any = None) -> None:
        super().__init__(obj, request=request)
        self.name: str | None = None
        self.new_members: list[User] | None = None
        self.external_id: str | None = None

    @property
    def members(self) -> list[dict[str, str]]:
        """The team's people, as SCIM user references."""
        return [
            {
                "value": str(user.pk),
                "$ref": ScimUserAdapter(user, self.request).location,
                "display": user.username,
            }
            for user in self.obj.members.all()
        ]

    def to_dict(self) -> dict[str, Any]:
        """The team as a SCIM Group resource."""
        external = (
            ScimTeam.objects.filter(team=self.obj).values_list("external_id", flat=True).first()
        )
        d: dict[str, Any] = {
            "schemas": [constants.SchemaURI.GROUP],
            "id": self.id,
            "displayName": self.obj.name,
            "members": self.members,
            "meta": {"resourceType": self.resource_type, "location": self.location},
        }
        if external:
            d["externalId"] = external
        return d

    def validate_dict(self, d: Any) -> None:
        """A Group needs a displayName."""
        if "displayName" not in d:
            raise bad_request('a Group needs a "displayName"')

    def from_dict(self, d: dict[str, Any]) -> None:
        """Read a whole Group (POST or PUT); nothing is saved until `save`."""
        self.name = _text(d["displayName"], "displayName", 200)
        if "members" in d:
            self.new_members = _users(d["members"])
        if "externalId" in d:
            self.external_id = _text(d["externalId"], "externalId", 254)

    def _current(self) -> list[User]:
        if self.new_members is None:
            self.new_members = list(self.obj.members.all()) if self.obj.pk else []
        return self.new_members

    def handle_add(self, path: AttrPath, value: Any, operation: dict[str, Any]) -> None:
        """Add members (both providers send a list of {"value": id}), or set the name."""
        attr = path.first_path[0]
        if attr == "members":
            current = self._current()
            current += [u for u in _users(value) if u not in current]
        else:
            self.handle_replace(path, value, operation)

    def handle_remove(self, path: AttrPath, value: Any, operation: dict[str, Any]) -> None:
        """Remove members: Okta names one in the path, Entra ID lists them in the value, and a
        bare "members" path removes everyone."""
        if path.first_path[0] != "members":
            return
        if path.is_complex:
            named = path.params_by_attr_paths.get(("members", "value", None))
            gone = _users([{"value": named}])
        elif value:
            gone = _users(value)
        else:
            gone = self._current()
        self.new_members = [u for u in self._current() if u not in gone]

    def handle_replace(self, path: AttrPath, value: Any, operation: dict[str, Any]) -> None:
        """Rename (Okta: a value object with id and displayName; Entra ID: a path), or set
        the members or the externalId."""
        attr = path.first_path[0]
        if attr == "displayName":
            self.name = _text(value, "displayName", 200)
        elif attr == "members":
            self.new_members = _users(value)
        elif attr == "externalId":
            self.external_id = _text(value, "externalId", 254)

    def save(self) -> None:
        """Create, rename or change the team's members through the SCIM services."""
        with _service_errors():
            self.obj = services.scim_team_save(
                actor=self.actor,
                name=self.name if self.name is not None else self.obj.name,
                team=self.obj if self.obj.pk else None,
                members=self.new_members,
                external_id=self.external_id,
            )

    def delete(self) -> None:
        """Delete the team; its people stay."""
        with _service_errors():
            services.scim_team_delete(actor=self.actor, team=self.obj)
