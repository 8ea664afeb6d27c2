"""`nofault lsp` driven as an editor drives it: a real subprocess, pygls' client over stdio."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from nofault.core.lint.engine import lint

# pytest runs the async tests on asyncio through anyio's plugin, as pygls' client needs.
pytestmark = pytest.mark.anyio
TIMEOUT = 20.0

POSTMORTEM = """\
---
title: Checkout errors after a config push
severity: sev 2
---

# Checkout errors after a config push

## Summary

The deploy failed because of human error.

The pager fired at 14:02 and the on-call engineer opened the dashboard.
"""

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}

PLAIN = "Notes from the meeting. The deploy failed because of human error.\n"


class Editor:
    """A language client that keeps the last diagnostics the server published per document."""

    def __init__(self) -> None:
        self.client = LanguageClient("nofault-test", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.published: asyncio.Event = asyncio.Event()
        self.versions: dict[str, int] = {}
        self.messages: list[str] = []

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def _message(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

        self.last_version: dict[str, int | None] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.last_version[params.uri] = params.version
            self.published.set()

    async def wait(self, uri: str) -> list[types.Diagnostic]:
        """Wait for the next diagnostics the server sends for a document."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            self.published.clear()
            if uri in self.diagnostics:
                return self.diagnostics.pop(uri)
            await asyncio.wait_for(self.published.wait(), deadline - time.monotonic())

    async def open(self, path: Path, text: str) -> list[types.Diagnostic]:
        """Open a document and return the diagnostics the server publishes for it."""
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
            )
        )
        return await self.wait(uri)

    async def change(self, path: Path, text: str) -> list[types.Diagnostic]:
        """Replace a document's whole text and return the diagnostics that follow."""
        self.send_change(path, text)
        return await self.wait(path.as_uri())

    def send_change(self, path: Path, text: str) -> None:
        """Replace a document's whole text, without waiting for anything."""
        uri = path.as_uri()
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """Run on asyncio, which pygls uses."""
    return "asyncio"


@pytest.fixture(scope="module")
async def editor() -> AsyncIterator[Editor]:
    """Start `nofault lsp` as a subprocess and initialise it as an editor would.

    One server serves every test of the module, as one serves every file in an editor; each
    test opens its own files in its own folder.
    """
    ed = Editor()
    await ed.client.start_io(str(Path(sys.executable).with_name("nofault")), "lsp")
    await asyncio.wait_for(
        ed.client.initialize_async(
            types.InitializeParams(
                process_id=None, capabilities=types.ClientCapabilities(), root_uri=None
            )
        ),
        TIMEOUT,
    )
    ed.client.initialized(types.InitializedParams())
    yield ed
    await asyncio.wait_for(ed.client.shutdown_async(None), TIMEOUT)
    ed.client.exit(None)
    await ed.client.stop()


async def _actions(editor: Editor, doc: Path, diag: types.Diagnostic) -> list[types.CodeAction]:
    """Ask the server for the code actions on one diagnostic."""
    actions = await asyncio.wait_for(
        editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=doc.as_uri()),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag]),
            )
        ),
        TIMEOUT,
    )
    return [a for a in actions or [] if isinstance(a, types.CodeAction)]


async def _hover(editor: Editor, doc: Path, at: types.Position) -> types.Hover | None:
    """Ask the server what it shows on hover at a position."""
    return await asyncio.wait_for(
        editor.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=doc.as_uri()), position=at
            )
        ),
        TIMEOUT,
    )


def _by_code(diagnostics: list[types.Diagnostic]) -> dict[str, types.Diagnostic]:
    return {str(d.code): d for d in diagnostics}


async def test_diagnostics_on_open_and_change(editor: Editor, tmp_path: Path) -> None:
    doc = tmp_path / "2026-11-02-checkout.md"
    found = _by_code(await editor.open(doc, POSTMORTEM))
    blame = found["BLM201"]
    assert blame.source == "nofault"
    # Each severity is the level the linter gives the same finding, in LSP's terms.
    levels = {f.code: f.level for f in lint(POSTMORTEM, path=str(doc)).findings}
    assert set(found) == set(levels)
    assert {code: d.severity for code, d in found.items()} == {
        code: SEVERITY[level] for code, level in levels.items()
    }
    assert {types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning} <= {
        d.severity for d in found.values()
    }
    assert blame.code_description is not None
    assert blame.code_description.href.endswith("/docs/rules/BLM201")
    line = POSTMORTEM.splitlines()[blame.range.start.line]
    flagged = line[blame.range.start.character : blame.range.end.character]
    assert flagged.lower() == "human error"
    # Fixing the sentence clears its finding and keeps the others.
    fixed = POSTMORTEM.replace("because of human error", "when the config push reached checkout")
    after = _by_code(await editor.change(doc, fixed))
    assert "BLM201" not in after and "STR002" in after


async def test_ranges_count_utf16_units_as_lsp_asks(editor: Editor, tmp_path: Path) -> None:
    text = POSTMORTEM.replace("The deploy failed", "\N{FIRE}\N{FIRE} The deploy failed")
    found = _by_code(await editor.open(tmp_path / "pm.md", text))
    line = text.splitlines()[found["BLM201"].range.start.line]
    units = line.encode("utf-16-le")
    start, end = found["BLM201"].range.start.character, found["BLM201"].range.end.character
    assert units[2 * start : 2 * end].decode("utf-16-le").lower() == "human error"


async def test_incremental_edits_as_an_editor_sends_them(editor: Editor, tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    blame = _by_code(await editor.open(doc, POSTMORTEM))["BLM201"]
    uri = doc.as_uri()
    # Type over the flagged words, in UTF-16 positions after an emoji typed before them.
    at = types.Position(line=blame.range.start.line, character=0)
    steps = [
        types.TextDocumentContentChangePartial(range=types.Range(at, at), text="\N{FIRE} "),
        types.TextDocumentContentChangePartial(
            range=types.Range(
                types.Position(blame.range.start.line, blame.range.start.character + 3),
                types.Position(blame.range.end.line, blame.range.end.character + 3),
            ),
            text="a stale cache entry",
        ),
    ]
    editor.versions[uri] += 1
    editor.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri, version=editor.versions[uri]
            ),
            content_changes=steps,
        )
    )
    after = _by_code(await editor.wait(uri))
    assert "BLM201" not in after and "STR002" in after


async def test_only_postmortems_or_files_the_config_names(editor: Editor, tmp_path: Path) -> None:
    assert await editor.open(tmp_path / "notes.md", PLAIN) == []
    assert await editor.open(tmp_path / "README.txt", POSTMORTEM) == []
    named = tmp_path / "named"
    named.mkdir()
    (named / ".nofault.toml").write_text(
        'include = ["reviews/*.md"]\nexclude = ["reviews/drafts/*"]\n', encoding="utf-8"
    )
    (named / "reviews" / "drafts").mkdir(parents=True)
    found = await editor.open(named / "reviews" / "notes.md", PLAIN)
    assert "BLM201" in _by_code(found)
    assert await editor.open(named / "reviews" / "drafts" / "pm.md", POSTMORTEM) == []


async def test_code_actions_fix_and_disable_for_the_paragraph(
    editor: Editor, tmp_path: Path
) -> None:
    doc = tmp_path / "pm.md"
    found = _by_code(await editor.open(doc, POSTMORTEM))
    titles = {a.title: a for a in await _actions(editor, doc, found["STR002"])}
    # No "disable for this paragraph" in the front matter: a comment there would break it.
    assert not any(title.startswith("Disable") for title in titles)
    fix = titles["STR002: replace with 'SEV2'"]
    assert fix.edit is not None and fix.edit.changes is not None
    (edit,) = fix.edit.changes[doc.as_uri()]
    fixed = _apply(POSTMORTEM, edit)
    assert "severity: SEV2\n" in fixed
    assert "STR002" not in _by_code(await editor.change(doc, fixed))

    blame = _by_code(await editor.change(doc, fixed))["BLM201"]
    disable = next(a for a in await _actions(editor, doc, blame) if "Disable BLM201" in a.title)
    assert disable.edit is not None and disable.edit.changes is not None
    (edit,) = disable.edit.changes[doc.as_uri()]
    suppressed = _apply(fixed, edit)
    assert "<!-- nofault: disable=BLM201 -- REASON" in suppressed
    # The comment silences the paragraph; its reason is a placeholder, which is no reason yet.
    after = _by_code(await editor.change(doc, suppressed))
    assert "BLM201" not in after and "STR010" in after
    reasoned = suppressed.replace("REASON: say why this wording stays", "quoting the ticket")
    after = _by_code(await editor.change(doc, reasoned))
    assert "BLM201" not in after and "STR010" not in after
    again = reasoned + "\nIt failed again because of human error.\n"
    assert "BLM201" in _by_code(await editor.change(doc, again))


async def test_a_burst_of_changes_ends_with_the_last_texts_findings(
    editor: Editor, tmp_path: Path
) -> None:
    doc = tmp_path / "pm.md"
    await editor.open(doc, POSTMORTEM)
    clean = POSTMORTEM.replace("because of human error", "when the push reached checkout")
    for n in range(30):
        editor.send_change(doc, clean + "x" * n + "\n")
    editor.send_change(doc, POSTMORTEM.replace("sev 2", "SEV2"))
    # Asked straight after the edits, the server answers for the text as it is now.
    hover = await _hover(editor, doc, types.Position(line=9, character=32))
    assert hover is not None and "BLM201" in str(hover.contents)
    # The diagnostics that end the burst are those of the last text.
    uri = doc.as_uri()
    while True:
        final = await editor.wait(uri)
        if editor.last_version[uri] == editor.versions[uri]:
            break
    assert "BLM201" in _by_code(final) and "STR002" not in _by_code(final)


async def test_hover_shows_the_rules_doc(editor: Editor, tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    blame = _by_code(await editor.open(doc, POSTMORTEM))["BLM201"]
    hover = await _hover(editor, doc, blame.range.start)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("# BLM201: blame.human-error")
    assert "## Why it hurts a blameless review" in hover.contents.value
    assert await _hover(editor, doc, types.Position(line=11, character=2)) is None


async def test_hover_on_the_title_gives_the_depth_score(editor: Editor, tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    text = POSTMORTEM.replace("sev 2", "SEV2")
    await editor.open(doc, text)
    score = lint(text, path=str(doc)).score
    assert score is not None and not score.passed
    title = text.splitlines().index("# Checkout errors after a config push")
    hover = await _hover(editor, doc, types.Position(line=title, character=3))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    shown = hover.contents.value
    assert shown.startswith(
        f"**Depth score {score.score}/100** (minimum {score.min}, **below it**)"
    )
    for part in score.parts:
        assert f"| {part.name} | {part.points:g} / {part.max:g} |" in shown


async def test_configuration_is_reloaded_when_it_changes(editor: Editor, tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    assert "BLM201" in _by_code(await editor.open(doc, POSTMORTEM))
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.nofault]\nignore = ["blame"]\n', encoding="utf-8")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    assert "BLM201" not in _by_code(await editor.wait(doc.as_uri()))
    # An editor that does not report file changes still gets the new settings on the next
    # edit (the file's modification time is checked on each lint).
    config.write_text('[tool.nofault]\nignore = ["structure"]\n', encoding="utf-8")
    after = _by_code(await editor.change(doc, POSTMORTEM + "\n"))
    assert "BLM201" in after and "STR002" not in after
    # A broken file is reported to the user once, and nothing is linted with half of it.
    config.write_text("[tool.nofault]\nignore = \n", encoding="utf-8")
    assert await editor.change(doc, POSTMORTEM) == []
    assert await editor.change(doc, POSTMORTEM + "\n") == []
    broken = [m for m in editor.messages if str(config) in m]
    assert len(broken) == 1 and "not valid TOML" in broken[0]


def _apply(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: edit.range.start.line]) + edit.range.start.character
    end = sum(len(x) for x in lines[: edit.range.end.line]) + edit.range.end.character
    return text[:start] + edit.new_text + text[end:]
