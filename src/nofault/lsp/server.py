"""`nofault lsp`: diagnostics, quick fixes and rule docs for postmortems as they are written.

A door like the CLI: it reads the same configuration, calls the same `core` linter and shows
its findings. The core never imports this module. Each open document is linted afresh on open
and on every change (a 3,000-word postmortem costs some 15 ms of CPU: benchmarks/lsp_speed.py), and
the configuration is looked up again on each lint and reloaded when its file changes.
"""

from __future__ import annotations

import asyncio
import fnmatch
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from nofault.__about__ import __version__
from nofault.core.lint.config import CONFIG_FILES, ConfigError, LintConfig, load_config_file
from nofault.core.lint.docs import rule_doc_markdown, rule_doc_url
from nofault.core.lint.engine import Finding, LintResult, lint, suppression_comment
from nofault.core.lint.packs.depth.score import DepthScore
from nofault.core.lint.registry import get_rule

SOURCE = "nofault"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True, slots=True)
class _Kept:
    """A configuration file as last read: its modification time and what it said."""

    mtime_ns: int
    config: LintConfig | None  # None: a pyproject.toml without [tool.nofault]


class Configs:
    """The configuration governing each file, looked up upward as the CLI does.

    The lookup runs on every lint (a few `stat` calls), and a file is read again whenever its
    modification time changes, so an edit to `.nofault.toml` or `pyproject.toml` holds from
    the next keystroke whether or not the editor reports the change.
    """

    def __init__(self) -> None:
        self._files: dict[Path, _Kept] = {}

    def forget(self) -> None:
        """Drop every configuration read so far."""
        self._files.clear()

    def for_file(self, path: Path) -> LintConfig:
        """Return the configuration for a file: the nearest one upward, or the defaults."""
        folder = path.parent
        for directory in (folder, *folder.parents):
            for name in CONFIG_FILES:
                config = self._read(directory / name)
                if config is not None:
                    return config
        return LintConfig()

    def _read(self, candidate: Path) -> LintConfig | None:
        try:
            mtime = candidate.stat().st_mtime_ns
        except OSError:
            return None
        kept = self._files.get(candidate)
        if kept is None or kept.mtime_ns != mtime:
            config = None
            if candidate.name != "pyproject.toml" or _has_nofault_table(candidate):
                config = load_config_file(candidate)
            kept = _Kept(mtime, config)
            self._files[candidate] = kept
        return kept.config


def _has_nofault_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # let load_config_file name the problem
    tool = data.get("tool")
    return isinstance(tool, dict) and "nofault" in tool


def _named(path: Path, patterns: list[str], config: LintConfig) -> bool:
    """Tell whether a glob of the configuration names the file (relative to its folder)."""
    if not patterns:
        return False
    base = Path(config.source).parent if config.source else None
    names = [path.name, path.as_posix()]
    if base is not None and path.is_relative_to(base):
        names.append(path.relative_to(base).as_posix())
    return any(fnmatch.fnmatch(name, p) for p in patterns for name in names)


class NofaultServer(LanguageServer):
    """The language server, with the last lint of each open document kept for its actions."""

    def __init__(self) -> None:
        super().__init__("nofault", __version__)
        self.configs = Configs()
        self.results: dict[str, LintResult] = {}
        self.checked: dict[str, int | None] = {}  # the version each document was linted at
        # The last configuration error shown, so that a keystroke does not show it again.
        self.config_error: str | None = None
        self._pending: set[str] = set()

    def check(self, document: TextDocument) -> list[types.Diagnostic]:
        """Lint one document and return its diagnostics (none for files that are not ours)."""
        self.results.pop(document.uri, None)
        self.checked[document.uri] = document.version
        path = Path(document.path)
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            return []
        try:
            config = self.configs.for_file(path)
        except ConfigError as exc:
            if str(exc) != self.config_error:
                self.config_error = str(exc)
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Error, message=str(exc))
                )
            return []
        self.config_error = None
        if _named(path, config.exclude, config):
            return []
        result = lint(document.source, path=str(path), config=config)
        if not result.is_postmortem and not _named(path, config.include, config):
            return []
        self.results[document.uri] = result
        lines = _lines(document, result)
        return [diagnostic(document, f, lines) for f in result.findings]

    def result_for(self, document: TextDocument) -> LintResult | None:
        """Return the lint of the document as it is now (linted again if it changed since)."""
        if self.checked.get(document.uri, -1) != document.version:
            self.check(document)
        return self.results.get(document.uri)

    def forget(self, uri: str) -> None:
        """Drop what is kept for a document the editor closed."""
        self.results.pop(uri, None)
        self.checked.pop(uri, None)
        self._pending.discard(uri)

    def schedule(self, uri: str) -> None:
        """Publish a document's diagnostics once the messages already received are handled.

        Changes that arrive faster than a lint (fast typing, a paste in steps) are read from
        the pipe together, and only the last text is linted; a lone change is linted at once.
        """
        if uri not in self._pending:
            self._pending.add(uri)
            asyncio.get_running_loop().call_soon(self._publish_pending, uri)

    def _publish_pending(self, uri: str) -> None:
        self._pending.discard(uri)
        if uri in self.workspace.text_documents:
            self.publish(self.workspace.get_text_document(uri))

    def publish(self, document: TextDocument) -> None:
        """Lint a document and send its diagnostics to the editor."""
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, version=document.version, diagnostics=self.check(document)
            )
        )


def _lines(document: TextDocument, result: LintResult | None) -> Sequence[str]:
    """Return the document's lines once (a document splits its text on every `.lines`)."""
    return result.parsed.lines if result and result.parsed else document.source.splitlines()


def diagnostic(document: TextDocument, finding: Finding, lines: Sequence[str]) -> types.Diagnostic:
    """Return the LSP diagnostic for one finding, its range in the client's units."""
    return types.Diagnostic(
        range=finding_range(document, finding, lines),
        severity=_SEVERITY[finding.level],
        code=finding.code,
        code_description=types.CodeDescription(href=rule_doc_url(finding.code)),
        source=SOURCE,
        message=finding.message
        + (f"\nSuggestion: {finding.suggestion}" if finding.suggestion else ""),
    )


def finding_range(document: TextDocument, finding: Finding, lines: Sequence[str]) -> types.Range:
    """Return a finding's span as an LSP range (0-based, in the encoding agreed with the client)."""
    codec = document.position_codec

    def position(line: int, column: int) -> types.Position:
        text = lines[line - 1] if 1 <= line <= len(lines) else ""
        head = text[: column - 1]
        # ASCII counts the same in UTF-8, UTF-16 and UTF-32: no need to ask the codec.
        return types.Position(
            line - 1, len(head) if head.isascii() else codec.client_num_units(head)
        )

    return types.Range(
        position(finding.line, finding.column), position(finding.end_line, finding.end_column)
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    starts_before_end = (a.start.line, a.start.character) <= (b.end.line, b.end.character)
    ends_after_start = (a.end.line, a.end.character) >= (b.start.line, b.start.character)
    return starts_before_end and ends_after_start


def _contains(r: types.Range, p: types.Position) -> bool:
    return (
        (r.start.line, r.start.character)
        <= (p.line, p.character)
        <= (
            r.end.line,
            r.end.character,
        )
    )


def block_start(result: LintResult, line: int) -> int | None:
    """Return the 0-based first line of the top-level block holding a 1-based line.

    None for a line of the front matter: a comment there would break the YAML, and a
    suppression covers Markdown blocks only.
    """
    if result.parsed is None:
        return line - 1
    if line - 1 < result.parsed.body_start:
        return None
    spans = [(b.start, b.end) for b in result.parsed.blocks]
    holding = [start for start, end in spans if start <= line - 1 < end]
    return min(holding) if holding else line - 1


def code_actions(
    server: NofaultServer, document: TextDocument, wanted: types.Range
) -> list[types.CodeAction]:
    """Return the quick fixes and the paragraph suppressions for findings in a range."""
    result = server.result_for(document)
    if result is None:
        return []
    actions: list[types.CodeAction] = []
    disabled: set[tuple[int, str]] = set()
    lines = _lines(document, result)
    for finding in result.findings:
        span = finding_range(document, finding, lines)
        if not _overlaps(span, wanted):
            continue
        diag = diagnostic(document, finding, lines)
        if finding.fix is not None:
            edit = types.TextEdit(range=span, new_text=finding.fix)
            actions.append(
                types.CodeAction(
                    title=f"{finding.code}: replace with '{finding.fix}'",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=types.WorkspaceEdit(changes={document.uri: [edit]}),
                )
            )
        start = block_start(result, finding.line)
        if start is None or (start, finding.code) in disabled:
            continue
        disabled.add((start, finding.code))
        comment = suppression_comment(finding.code) + "\n"
        at = types.Position(line=start, character=0)
        actions.append(
            types.CodeAction(
                title=f"Disable {finding.code} for this paragraph",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                edit=types.WorkspaceEdit(
                    changes={document.uri: [types.TextEdit(types.Range(at, at), comment)]}
                ),
            )
        )
    return actions


def hover(server: NofaultServer, document: TextDocument, at: types.Position) -> str | None:
    """Return, as Markdown, the docs of the rules whose findings cover a position.

    On the title's line it also gives the depth score and its parts, the figure the CLI's
    `--score` prints and that a postmortem below its severity's minimum fails on.
    """
    result = server.result_for(document)
    if result is None:
        return None
    lines = _lines(document, result)
    codes = dict.fromkeys(
        f.code for f in result.findings if _contains(finding_range(document, f, lines), at)
    )
    pages = [rule_doc_markdown(rule) for code in codes if (rule := get_rule(code)) is not None]
    parsed = result.parsed
    if result.score is not None and parsed is not None and parsed.title_line == at.line:
        pages.insert(0, score_markdown(result.score))
    return "\n\n---\n\n".join(pages) or None


def score_markdown(score: DepthScore) -> str:
    """Return a depth score and its parts as a Markdown table."""
    bar = ""
    if score.min is not None:
        bar = f" (minimum {score.min}{'' if score.passed else ', **below it**'})"
    head = [
        f"**Depth score {score.score}/100**{bar}",
        "",
        "| Part | Points | |",
        "| --- | ---: | --- |",
    ]
    rows = [f"| {p.name} | {p.points:g} / {p.max:g} | {p.detail} |" for p in score.parts]
    return "\n".join([*head, *rows])


def build_server() -> NofaultServer:
    """Return a language server with nofault's features registered."""
    server = NofaultServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NofaultServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NofaultServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NofaultServer, params: types.DidSaveTextDocumentParams) -> None:
        if Path(params.text_document.uri).name in CONFIG_FILES:
            _recheck_all(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NofaultServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: NofaultServer, params: types.DidChangeWatchedFilesParams) -> None:
        _recheck_all(ls)

    @server.feature(types.INITIALIZED)
    def initialized(ls: NofaultServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=f"**/{n}") for n in CONFIG_FILES]
            )
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="nofault-config",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=options,
                        )
                    ]
                )
            )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def on_code_action(ls: NofaultServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        document = ls.workspace.get_text_document(params.text_document.uri)
        return code_actions(ls, document, params.range)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: NofaultServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        text = hover(ls, document, params.position)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    return server


def _recheck_all(ls: NofaultServer) -> None:
    """Read the configuration again and lint every open document with it."""
    ls.configs.forget()
    for uri in list(ls.workspace.text_documents):
        ls.publish(ls.workspace.get_text_document(uri))


def serve() -> None:
    """Run the language server over stdin and stdout until the editor ends it."""
    build_server().start_io()
