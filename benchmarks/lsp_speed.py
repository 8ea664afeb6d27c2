"""Print how long `nofault lsp` takes to answer an edit of a 3,000-word postmortem.

    python benchmarks/lsp_speed.py [--edits 200] [--corpus ../shared/corpus/real-postmortems]

What it measures, on real postmortems from the shared corpus (never copied into the repo):
  * documents: each postmortem of at least 3,000 words as it is, and one document made of
    whole postmortems laid end to end, cut at the first paragraph past 3,000 words.
  * round trip: `nofault lsp` runs as a subprocess and pygls' client talks to it over stdio,
    as an editor does. Each edit sends `textDocument/didChange` with the whole text (one
    character different each time, so nothing can be kept from the last lint) and waits for
    the `publishDiagnostics` of that version; the time from sending to receiving is one
    update. Median, 90th and 99th percentile over --edits edits, after 10 untimed ones.
    Target: every update under 50 ms.
  * in process: the server's `check` (configuration lookup, lint, diagnostics in UTF-16
    units) on the same text, the same number of times: the part of the round trip that is
    nofault's own work rather than JSON-RPC and the pipe; by wall clock and by this
    process's CPU time (which moves less with the machine's load).

The load average is printed with the figures: on a shared machine they move with it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.workspace import TextDocument

from nofault.lsp.server import NofaultServer

ROOT = Path(__file__).resolve().parents[1]
WORDS = 3_000


def _documents(corpus: Path) -> dict[str, str]:
    texts = {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(corpus.glob("*.md"))
        if p.name != "SOURCES.md"
    }
    docs = {name: text for name, text in texts.items() if len(text.split()) >= WORDS}
    joined: list[str] = []
    count = 0
    for text in texts.values():
        for paragraph in text.split("\n\n"):
            joined.append(paragraph)
            count += len(paragraph.split())
            if count >= WORDS:
                break
        if count >= WORDS:
            break
    docs[f"joined ({count} words)"] = "\n\n".join(joined) + "\n"
    return docs


def _variant(text: str, n: int) -> str:
    """Return the text with one character changed, different for each n."""
    return text + ("\n" if n % 2 else "") + f"<!-- edit {n} -->\n"


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (
        f"median {statistics.median(ordered):6.1f} ms  p90 {pick(0.9):6.1f} ms  "
        f"p99 {pick(0.99):6.1f} ms  max {ordered[-1]:6.1f} ms"
    )


async def _round_trips(path: Path, text: str, edits: int) -> list[float]:
    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    waiting: asyncio.Event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            waiting.set()

    await client.start_io(str(Path(sys.executable).with_name("nofault")), "lsp")
    await client.initialize_async(
        types.InitializeParams(process_id=None, capabilities=types.ClientCapabilities())
    )
    client.initialized(types.InitializedParams())
    uri = path.as_uri()
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 0, text))
    )
    samples = []
    for version in range(1, edits + 11):
        waiting.clear()
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(text=_variant(text, version))],
            )
        )
        while version not in arrived:
            await asyncio.wait_for(waiting.wait(), 30)
            waiting.clear()
        if version > 10:
            samples.append((arrived[version] - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return samples


def _in_process(path: Path, text: str, edits: int) -> tuple[list[float], list[float], int]:
    server = NofaultServer()
    wall, cpu, found = [], [], 0
    for n in range(edits + 10):
        document = TextDocument(path.as_uri(), _variant(text, n), version=n)
        start, start_cpu = time.perf_counter(), time.process_time()
        found = len(server.check(document))
        if n >= 10:
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, found


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared/corpus/real-postmortems"
    )
    args = parser.parse_args()
    if not any(args.corpus.glob("*.md")):
        sys.exit(f"no postmortems in {args.corpus}: pass --corpus with a folder of them")
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    print(f"{args.edits} timed edits per document (10 untimed first); target < 50 ms each\n")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in _documents(args.corpus).items():
            path = Path(tmp) / "postmortem.md"
            local, cpu, found = _in_process(path, text, args.edits)
            trips = asyncio.run(_round_trips(path, text, args.edits))
            words = len(text.split())
            print(f"{name}: {words} words, {len(text) / 1024:.0f} KB, {found} diagnostics")
            print(f"  round trip over stdio  {_percentiles(trips)}")
            print(f"  check in process       {_percentiles(local)}")
            print(f"  check, CPU time        {_percentiles(cpu)}")
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
