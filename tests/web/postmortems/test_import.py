"""The import page: an upload is queued, the worker imports it and the page shows the drafts;
the role and the size come before the upload; broken zips and files over the limits leave
nothing behind and the page says why; running the import again imports nothing twice."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nofault.web.api_errors import ServiceError
from nofault.web.incidents.models import Incident
from nofault.web.postmortems import imports
from nofault.web.postmortems.models import ImportJob, Postmortem
from nofault.web.worker.models import Task, TaskStatus
from nofault.web.worker.runner import work
from tests.shared_corpus import shared_folder
from tests.web.factories import PASSWORD, SOURCE, make_incident, make_user

# Real transactions: the worker closes a connection left inside one (see tests/web/worker).
pytestmark = pytest.mark.django_db(transaction=True)

IMPORTS = shared_folder("corpus/imports")
URL = "/postmortems/import/"
MB = 1024 * 1024


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(client: Client, name: str, data: bytes) -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def _imported(client: Client, name: str, data: bytes) -> Any:
    """Upload, let the worker run the import, and read the page that follows the upload."""
    response = _upload(client, name, data)
    assert response.status_code == 302, response.content.decode()[-500:]
    assert work(burst=True, schedule=False).failed == 0
    return client.get(response["Location"])


def _stored() -> tuple[int, int]:
    return Incident.objects.count(), Postmortem.objects.count()


def test_real_exports_become_drafts_with_a_report(author: Any) -> None:
    client = _client(author)
    docx = (IMPORTS / "google-docs" / "Lebenslauf.google-docs-takeout.docx").read_bytes()
    response = _imported(client, "Lebenslauf.docx", docx)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Done: imported 1 draft" in page and "layout table" in page
    draft = Postmortem.objects.get(title="Ihr Name")
    assert draft.status == "draft" and "## BERUFSERFAHRUNG" in draft.source
    assert "the page states no severity" in page  # the incident's SEV3 is said, not hidden

    confluence = (IMPORTS / "confluence" / "html-export" / "JavaScript_9273401.html").read_bytes()
    response = _imported(client, "JavaScript_9273401.html", confluence)
    assert response.status_code == 200 and "Zakladni info" in response.content.decode()
    assert Postmortem.objects.filter(title="JavaScript").exists()

    notion = (
        IMPORTS / "notion" / "html-export.67e39a7b-e75e-4dcb-9181-56ce222d3430_Export.zip"
    ).read_bytes()
    before = Postmortem.objects.count()
    response = _imported(client, "notion.zip", notion)
    assert response.status_code == 200
    page = response.content.decode()
    assert Postmortem.objects.count() - before == 9
    assert "Not imported" in page and "test.png" in page
    todo = Postmortem.objects.get(title="Wöchentliche To-do-Liste")
    assert "- [x] Mama anrufen" in todo.source


def test_markdown_with_an_incident_key_updates_its_postmortem(author: Any) -> None:
    client = _client(author)
    text = SOURCE.format(key="INC-7101", title="First words").encode()
    assert "Done: imported 1 draft" in _imported(client, "one.md", text).content.decode()
    again = SOURCE.format(key="INC-7101", title="Second words").encode()
    assert "Done: imported 1 draft" in _imported(client, "again.md", again).content.decode()
    pm = Postmortem.objects.get(incident__key="INC-7101")
    assert pm.title == "Second words" and pm.revision == 2


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the upload was read")

    readline = read


def _post_unread(client: Client, length: int) -> Any:
    return client.generic(
        "POST",
        URL,
        b"",
        content_type="multipart/form-data; boundary=nofault",
        **{"wsgi.input": _Unreadable(), "CONTENT_LENGTH": str(length)},
    )


def test_a_viewers_upload_is_refused_before_it_is_read(viewer: Any) -> None:
    anonymous = _post_unread(Client(), 150 * MB)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    response = _post_unread(_client(viewer), 150 * MB)
    assert response.status_code == 403
    assert "viewers cannot import" in response.content.decode()
    small = _upload(_client(viewer), "one.md", SOURCE.format(key="INC-7102", title="X").encode())
    assert small.status_code == 403 and _stored() == (0, 0)


def test_an_upload_over_the_limit_is_refused_before_it_is_read(author: Any, settings: Any) -> None:
    response = _post_unread(_client(author), 150 * MB)
    assert response.status_code == 413 and "larger than 50 MB" in response.content.decode()
    settings.NOFAULT_IMPORT_MAX_UPLOAD_BYTES = 1 * MB
    response = _upload(_client(author), "big.html", b"<p>" + b"x" * (2 * MB) + b"</p>")
    assert response.status_code == 413 and _stored() == (0, 0)


def test_the_csrf_check_still_holds(author: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=author.username, password=PASSWORD)
    response = _upload(client, "one.md", SOURCE.format(key="INC-7103", title="X").encode())
    assert response.status_code == 403 and _stored() == (0, 0)


def _zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = ("good.md", b"# Cache stampede\n\n## Summary\n\nThe cache expired at once.\n")
BROKEN = ("broken.md", b"# Broken member\n\n## Summary\n\nThis member is damaged.\n")


def _headers(data: bytes, name: bytes) -> tuple[int, int]:
    """The offsets of a member's local header and central directory entry."""
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 1)
    (local,) = struct.unpack_from("<I", data, central + 42)
    return local, central


def _broken(kind: str) -> bytes:
    data = bytearray(_zip([GOOD, BROKEN]))
    local, central = _headers(bytes(data), BROKEN[0].encode())
    if kind == "bad CRC":
        start = local + 30 + len(BROKEN[0])
        data[start] ^= 0x20  # one bit of the stored text flipped
    elif kind == "encrypted":
        for offset in (local + 6, central + 8):
            data[offset] |= 0x01
    elif kind == "unknown method":
        struct.pack_into("<H", data, local + 8, 99)
        struct.pack_into("<H", data, central + 10, 99)
    elif kind == "lying size":
        real = len(BROKEN[1])
        struct.pack_into("<I", data, local + 22, real + 1000)
        struct.pack_into("<I", data, central + 24, real + 1000)
    return bytes(data)


@pytest.mark.parametrize("kind", ["bad CRC", "encrypted", "unknown method", "lying size"])
def test_a_broken_zip_imports_nothing_and_says_why(author: Any, kind: str) -> None:
    response = _imported(_client(author), "export.zip", _broken(kind))
    page = response.content.decode()
    assert "Failed: nothing was imported" in page and "broken.md" in page
    assert _stored() == (0, 0)  # good.md came first, and it is not kept either


def test_a_zip_over_the_member_or_size_limits_imports_nothing(author: Any, settings: Any) -> None:
    client = _client(author)
    settings.NOFAULT_IMPORT_MAX_FILES = 3
    many = _zip([(f"p{i}.md", GOOD[1]) for i in range(4)])
    response = _imported(client, "many.zip", many)
    assert (
        "Failed" in response.content.decode() and "more than 3 files" in response.content.decode()
    )
    settings.NOFAULT_IMPORT_MAX_FILES = 2000
    settings.NOFAULT_IMPORT_MAX_UNPACKED_BYTES = 1 * MB
    bomb = _zip([GOOD, ("zeros.html", b"<p>" + b"0" * (3 * MB) + b"</p>")], zipfile.ZIP_DEFLATED)
    assert len(bomb) < 50_000
    response = _imported(client, "bomb.zip", bomb)
    assert "unpacks to more than 1 MB" in response.content.decode()
    assert _stored() == (0, 0)


def test_a_page_refused_midway_rolls_back_the_pages_before_it(author: Any, admin: Any) -> None:
    make_incident(admin, key="INC-7105", restricted=True)
    before = _stored()
    first = SOURCE.format(key="INC-7104", title="Stored first").encode()
    theirs = SOURCE.format(key="INC-7105", title="Not mine").encode()
    with pytest.raises(ServiceError, match="INC-7105 is not yours") as refused:
        imports.postmortem_import(
            actor=author, filename="two.zip", data=_zip([("a.md", first), ("b.md", theirs)])
        )
    assert refused.value.status_code == 403
    assert _stored() == before and not Incident.objects.filter(key="INC-7104").exists()


def test_a_page_the_app_refuses_names_itself_and_keeps_nothing(author: Any) -> None:
    first = SOURCE.format(key="INC-7106", title="Fine").encode()
    huge = b"# Huge\n\n" + b"word " * 220_000  # over the million characters a postmortem may hold
    response = _imported(_client(author), "two.zip", _zip([("a.md", first), ("b.md", huge)]))
    assert "Failed: nothing was imported: b.md: the source is longer" in response.content.decode()
    assert _stored() == (0, 0)


def test_an_upload_waits_on_the_queue_and_its_page_follows_it(author: Any) -> None:
    client = _client(author)
    text = SOURCE.format(key="INC-7107", title="Queued words").encode()
    response = _upload(client, "queued.md", text)
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert "Queued" in page and 'hx-trigger="every 1s"' in page  # the page asks again
    assert _stored() == (0, 0)  # nothing is imported inside the request
    assert _upload(client, "queued.md", text)["Location"] == job_url  # a double submit
    assert work(burst=True, schedule=False).succeeded == 1
    fragment = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section class="card" id="import-job"')
    assert "Done: imported 1 draft" in fragment and "hx-trigger" not in fragment
    assert Postmortem.objects.get(incident__key="INC-7107").title == "Queued words"
    assert ImportJob.objects.get().data == b""  # the upload's bytes are not kept after
    latest = client.get(URL).content.decode()  # the import page lists my latest uploads
    assert f'href="{job_url}">queued.md</a> <span class="muted">done' in latest
    # Another person's upload is not theirs to see, even an admin's.
    admin = _client(make_user("admin"))
    assert (
        admin.get(job_url).status_code == 404 and "queued.md" not in admin.get(URL).content.decode()
    )


def test_running_the_import_again_imports_nothing_twice(author: Any) -> None:
    client = _client(author)
    text = SOURCE.format(key="INC-7108", title="Once").encode()
    job_url = _upload(client, "once.md", text)["Location"]
    work(burst=True, schedule=False)
    # As if the worker had died after committing the drafts, before marking the task done.
    Task.objects.update(status=TaskStatus.QUEUED, locked_until=None)
    assert work(burst=True, schedule=False).succeeded == 1
    pm = Postmortem.objects.get(incident__key="INC-7108")
    assert pm.revision == 1 and _stored() == (1, 1)
    assert "Done: imported 1 draft" in client.get(job_url).content.decode()


def test_a_person_may_keep_only_a_few_uploads_waiting(author: Any, settings: Any) -> None:
    settings.NOFAULT_IMPORT_MAX_WAITING = 2
    client = _client(author)
    for n in range(2):
        assert _upload(client, f"p{n}.md", SOURCE.format(key=f"INC-71{n}9", title="W").encode())
    refused = _upload(client, "p3.md", SOURCE.format(key="INC-7139", title="W").encode())
    assert refused.status_code == 429 and "still waiting" in refused.content.decode()
    assert ImportJob.objects.count() == 2
