"""Local HTTP servers standing in for GitHub, Jira and Slack.

Each runs a real `http.server` in a thread, checks every request against the vendor's
published shapes (the files in shared/payloads), answers as the vendor does, and can be told
to fail: an error status, a rate limit with Retry-After, a 5xx *after* doing the write (the
case that makes naive retries create duplicates), or a dropped connection.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .conftest import PAYLOADS


def published(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Fault:
    """What to do instead of (or after) answering normally."""

    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    after_write: bool = False  # do the real work, then answer with this fault
    drop: bool = False  # close the connection without an answer
    method: str | None = None  # only for this method


class ShapeError(AssertionError):
    """A request the real vendor would not accept in this shape."""


class StandIn:
    """A vendor on localhost."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.faults: deque[Fault] = deque()
        self.shape_errors: list[str] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                request = Recorded(
                    self.command,
                    split.path,
                    parse_qs(split.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    raw,
                )
                status, headers, body = stand_in.dispatch(request)
                if status == 0:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = do_PUT = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def dispatch(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests.append(request)
            fault = None
            if self.faults and self.faults[0].method in (None, request.method):
                fault = self.faults.popleft()
        if fault is not None and fault.drop:
            return 0, {}, b""
        if fault is not None and not fault.after_write:
            return fault.status, fault.headers, fault.body
        try:
            answer = self.route(request)
        except ShapeError as exc:
            self.shape_errors.append(str(exc))
            answer = (
                400,
                {"Content-Type": "application/json"},
                json.dumps({"message": str(exc)}).encode(),
            )
        if fault is not None:
            return fault.status, fault.headers, fault.body
        return answer

    def route(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        """Answer one request as the vendor would; each stand-in (Slack, Jira, GitHub) defines it."""
        raise TypeError(f"{type(self).__name__} must define route()")


def _json(status: int, data: Any, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"Content-Type": "application/json; charset=utf-8", **headers},
        json.dumps(data).encode(),
    )


# --- GitHub ----------------------------------------------------------------------------

GITHUB_ISSUE_FIELDS = {"title", "body", "assignee", "assignees", "milestone", "labels", "type"}


class GitHubStandIn(StandIn):
    """`POST/GET /repos/{owner}/{repo}/issues`, answering with the recorded octokit exchange."""

    def __init__(self, repository: str = "acme/ops", token: str = "ghp_test") -> None:
        super().__init__()
        self.repository = repository
        self.token = token
        self.issues: list[dict[str, Any]] = []
        self.exchange = published("github/create_issue.recorded_exchange.json")
        self.template = published("github/create_issue.response_201.json")
        published_request = published("github/create_issue.request.json")
        assert set(published_request) <= GITHUB_ISSUE_FIELDS

    def route(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        auth = request.headers.get("authorization", "")
        if auth not in (f"Bearer {self.token}", f"token {self.token}"):
            return _json(
                401,
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
            )
        if "application/vnd.github" not in request.headers.get("accept", ""):
            raise ShapeError("GitHub requests should accept application/vnd.github+json")
        base = f"/repos/{self.repository}/issues"
        if request.method == "POST" and request.path == base:
            return self._create(request)
        if request.method == "GET" and request.path == base:
            wanted = set(request.query.get("labels", [""])[0].split(",")) - {""}
            items = [
                i
                for i in reversed(self.issues)
                if wanted <= {label["name"] for label in i["labels"]}
            ]
            per_page = int(request.query.get("per_page", ["30"])[0])
            return _json(200, items[:per_page])
        match = re.fullmatch(rf"{base}/(\d+)", request.path)
        if request.method == "GET" and match:
            number = int(match.group(1))
            for issue in self.issues:
                if issue["number"] == number:
                    return _json(200, issue)
        return _json(404, {"message": "Not Found"})

    def _create(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            raise ShapeError("GitHub expects a JSON body")
        data = request.json()
        unknown = set(data) - GITHUB_ISSUE_FIELDS
        if unknown:
            raise ShapeError(f"unknown issue fields {sorted(unknown)}")
        if not isinstance(data.get("title"), str) or not data["title"]:
            return _json(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [{"resource": "Issue", "code": "missing_field", "field": "title"}],
                },
            )
        if not all(isinstance(label, str) for label in data.get("labels", [])):
            raise ShapeError("labels must be strings")
        with self.lock:
            number = len(self.issues) + 1
            issue = copy.deepcopy(self.template)
            repo_api = f"{self.url}/repos/{self.repository}"
            issue.update(
                number=number,
                id=1308967529 + number,
                title=data["title"],
                body=data.get("body"),
                state="open",
                labels=[{"name": n} for n in data.get("labels", [])],
                url=f"{repo_api}/issues/{number}",
                repository_url=repo_api,
                html_url=f"https://github.com/{self.repository}/issues/{number}",
            )
            self.issues.append(issue)
        headers = dict(
            zip(self.exchange["rawHeaders"][::2], self.exchange["rawHeaders"][1::2], strict=True)
        )
        keep = {
            k: headers[k]
            for k in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-GitHub-Media-Type")
        }
        return _json(self.exchange["status"], issue, Location=issue["url"], **keep)

    def set_state(self, number: int, state: str, reason: str | None = None) -> dict[str, Any]:
        """Close or reopen an issue as a person would, and return the `issues` webhook body."""
        issue = next(i for i in self.issues if i["number"] == number)
        issue["state"] = state
        issue["state_reason"] = reason
        issue["closed_at"] = "2026-03-02T10:00:00Z" if state == "closed" else None
        issue["updated_at"] = "2026-03-02T10:00:00Z"
        return {
            "action": "closed" if state == "closed" else "reopened",
            "issue": issue,
            "repository": {"full_name": self.repository},
            "sender": {"login": "octocat"},
        }


# --- Jira --------------------------------------------------------------------------------


def _adf_shape(value: Any, where: str) -> None:
    if not (
        isinstance(value, dict)
        and value.get("type") == "doc"
        and value.get("version") == 1
        and isinstance(value.get("content"), list)
    ):
        raise ShapeError(f"{where} must be an Atlassian Document Format doc")
    for node in value["content"]:
        if node.get("type") != "paragraph" or not all(
            c.get("type") == "text" and isinstance(c.get("text"), str) for c in node["content"]
        ):
            raise ShapeError(f"{where} holds an unexpected node {node!r}")


class JiraStandIn(StandIn):
    """`/rest/api/3/issue` and `/rest/api/3/search/jql`, with the spec's example answers."""

    def __init__(self, email: str = "bot@acme.test", token: str = "jira-token") -> None:
        super().__init__()
        self.auth = "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()
        self.issues: dict[str, dict[str, Any]] = {}
        self.example = published("jira/create_issue.request.json")
        self.created = published("jira/create_issue.response_201.json")
        self.error = published("jira/create_issue.response_400.json")
        self.allowed_fields = set(self.example["fields"])
        # The published example's rich-text fields show the ADF shape we must send.
        _adf_shape(self.example["fields"]["description"], "published description")

    def route(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        if request.headers.get("authorization") != self.auth:
            return _json(401, {"errorMessages": ["You are not authenticated."], "errors": {}})
        if request.method == "POST" and request.path == "/rest/api/3/issue":
            return self._create(request)
        if request.method == "GET" and request.path == "/rest/api/3/search/jql":
            jql = request.query.get("jql", [""])[0]
            match = re.search(r'labels = "([^"]+)"', jql)
            project = re.search(r'project = "([^"]+)"', jql)
            found = [
                i
                for i in self.issues.values()
                if match
                and match.group(1) in i["fields"]["labels"]
                and (not project or i["key"].startswith(project.group(1) + "-"))
            ]
            return _json(200, {"issues": found[:1], "isLast": True})
        match = re.fullmatch(r"/rest/api/3/issue/([A-Z][A-Z0-9_]+-\d+)", request.path)
        if request.method == "GET" and match and match.group(1) in self.issues:
            return _json(200, self.issues[match.group(1)])
        return _json(
            404,
            {
                "errorMessages": ["Issue does not exist or you do not have permission to see it."],
                "errors": {},
            },
        )

    def _create(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        data = request.json()
        if set(data) - {"fields", "update", "transition", "properties", "historyMetadata"}:
            raise ShapeError(f"unexpected top-level keys {sorted(data)}")
        fields = data.get("fields", {})
        unknown = set(fields) - self.allowed_fields
        if unknown:
            raise ShapeError(f"fields not in the published example: {sorted(unknown)}")
        for name in ("description", "environment"):
            if name in fields:
                _adf_shape(fields[name], name)
        if any(" " in label for label in fields.get("labels", [])):
            raise ShapeError("Jira labels cannot contain spaces")
        if "duedate" in fields and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["duedate"]):
            raise ShapeError("duedate must be YYYY-MM-DD")
        if not fields.get("summary") or "project" not in fields or "issuetype" not in fields:
            error = copy.deepcopy(self.error)
            error["errorMessages"] = ["Field 'summary' is required"]
            return _json(400, error)
        with self.lock:
            number = len(self.issues) + 1
            key = f"{fields['project'].get('key', 'ED')}-{number}"
            issue_id = str(10000 + number)
            self.issues[key] = {
                "id": issue_id,
                "key": key,
                "self": f"{self.url}/rest/api/3/issue/{issue_id}",
                "fields": {**fields, "status": {"name": "To Do", "statusCategory": {"key": "new"}}},
            }
        answer = copy.deepcopy(self.created)
        answer.update(id=issue_id, key=key, self=f"{self.url}/rest/api/3/issue/{issue_id}")
        return _json(201, answer)

    def transition(self, key: str, done: bool) -> dict[str, Any]:
        """Move an issue to Done (or back to To Do) and return the jira:issue_updated body."""
        issue = self.issues[key]
        before = issue["fields"]["status"]["name"]
        issue["fields"]["status"] = (
            {"name": "Done", "statusCategory": {"key": "done"}}
            if done
            else {"name": "To Do", "statusCategory": {"key": "new"}}
        )
        return {
            "timestamp": 1772445600000,
            "webhookEvent": "jira:issue_updated",
            "issue_event_type_name": "issue_generic",
            "issue": issue,
            "changelog": {
                "id": "1",
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "fromString": before,
                        "toString": issue["fields"]["status"]["name"],
                    }
                ],
            },
        }


# --- Slack -------------------------------------------------------------------------------

SLACK_MESSAGE_KEYS = {
    "text",
    "blocks",
    "attachments",
    "username",
    "icon_emoji",
    "icon_url",
    "channel",
    "thread_ts",
    "mrkdwn",
    "unfurl_links",
    "unfurl_media",
    "replace_original",
    "response_type",
    "metadata",
}


def _block_types(payload: dict[str, Any]) -> set[str]:
    return {b["type"] for b in payload.get("blocks", [])}


class SlackStandIn(StandIn):
    """An incoming webhook at /services/T0/B0/secret and the Web API's chat.postMessage."""

    HOOK = "/services/T000/B000/XXXX"

    def __init__(self, token: str = "xoxb-test") -> None:
        super().__init__()
        self.token = token
        self.messages: list[dict[str, Any]] = []
        self.ok = published("slack/chat.postMessage.response_ok.json")
        self.error = published("slack/chat.postMessage.response_error.json")
        examples = [
            published("slack/incoming_webhook.text_only.json"),
            published("slack/response_url.message_with_blocks.json"),
        ]
        self.known_blocks = set().union(*(_block_types(e) for e in examples))
        assert all(set(e) <= SLACK_MESSAGE_KEYS for e in examples)

    @property
    def webhook_url(self) -> str:
        return self.url + self.HOOK

    def _check_message(self, data: dict[str, Any]) -> None:
        unknown = set(data) - SLACK_MESSAGE_KEYS
        if unknown:
            raise ShapeError(f"unknown message keys {sorted(unknown)}")
        if not isinstance(data.get("text"), str) or not data["text"]:
            raise ShapeError("a message needs a fallback text")
        if not _block_types(data) <= self.known_blocks:
            raise ShapeError(
                f"block types {_block_types(data) - self.known_blocks} not in the examples"
            )
        for block in data.get("blocks", []):
            text = block.get("text")
            if text is not None and text.get("type") not in ("mrkdwn", "plain_text"):
                raise ShapeError("text objects are mrkdwn or plain_text")

    def route(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        if request.path.startswith("/services/"):
            if request.path != self.HOOK:
                return 404, {"Content-Type": "text/plain"}, b"no_team"
            data = request.json()
            self._check_message(data)
            self.messages.append(data)
            return 200, {"Content-Type": "text/plain"}, b"ok"
        if request.path == "/api/chat.postMessage":
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return _json(200, {"ok": False, "error": "invalid_auth"})
            data = request.json()
            self._check_message(data)
            if data.get("channel") == "C-missing":
                return _json(200, {**self.error, "error": "channel_not_found"})
            if len(data.get("attachments", [])) > 100:
                return _json(200, self.error)
            self.messages.append(data)
            answer = copy.deepcopy(self.ok)
            answer["channel"] = data["channel"]
            answer["message"]["text"] = data["text"]
            answer["message"].pop("attachments", None)
            return _json(200, answer)
        return 404, {"Content-Type": "text/plain"}, b"not found"
