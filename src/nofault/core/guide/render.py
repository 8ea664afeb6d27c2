"""Render a Guide as Markdown or as a standalone, printable HTML page with a table of contents.

Both renderers walk the same blocks. Text may carry `**strong**` and `` `code` `` marks;
the HTML renderer escapes everything first, so the organisation's words can never become markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from nofault.__about__ import __version__
from nofault.core.guide.model import (
    Block,
    Callout,
    Code,
    Guide,
    Heading,
    Items,
    Paragraph,
    Part,
    Quote,
    Table,
)

# --- Markdown ------------------------------------------------------------------------------


def _md_text(text: str) -> str:
    # Keep the organisation's words from turning into HTML where the Markdown is rendered.
    return text.replace("<", "&lt;")


def _md_cell(text: str) -> str:
    return " ".join(_md_text(text).replace("|", "\\|").split())


def _md_block(block: Block) -> str:
    match block:
        case Heading(text=text, anchor=anchor, level=level):
            return f'<a id="{anchor}"></a>\n\n{"#" * level} {_md_text(text)}'
        case Paragraph(text=text):
            return _md_text(text)
        case Items(items=items, label=label, style=style):
            lines = []
            for number, item in enumerate(items, start=1):
                marker = {"numbered": f"{number}.", "checklist": "- [ ]"}.get(style, "-")
                lines.append(f"{marker} {_md_text(' '.join(item.split()))}")
            body = "\n".join(lines)
            return f"**{_md_text(label)}**\n\n{body}" if label else body
        case Table(header=header, rows=rows):
            out = [
                "| " + " | ".join(_md_cell(h) or " " for h in header) + " |",
                "|" + "|".join(" --- " for _ in header) + "|",
            ]
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            return "\n".join(out)
        case Quote(text=text, cite=cite):
            quoted = f"> {_md_text(text)}"
            return f"{quoted}\n>\n> — {_md_text(cite)}" if cite else quoted
        case Callout(text=text, title=title):
            lead = f"**{_md_text(title)}.** " if title else ""
            return f"> {lead}{_md_text(text)}"
        case Code(text=text, language=language):
            fence = "````" if "```" in text else "```"
            return f"{fence}{language}\n{text.rstrip()}\n{fence}"
    raise TypeError(f"unknown block {block!r}")


def _part_title(part: Part) -> str:
    return f"{part.number}. {part.title}"


def to_markdown(guide: Guide) -> str:
    """Render the guide as Markdown (GitHub-flavoured: tables and task lists)."""
    out = [
        f"# {_md_text(guide.title)}",
        f"*Built by nofault {__version__} on {guide.built_on.isoformat()} for "
        f"{_md_text(guide.organisation)}.*",
        "## Contents",
        "\n".join(f"{p.number}. [{p.title}](#{p.anchor})" for p in guide.parts),
    ]
    for part in guide.parts:
        out.append(f'<a id="{part.anchor}"></a>\n\n## {_part_title(part)}')
        out.extend(_md_block(b) for b in part.blocks)
    return "\n\n".join(out).rstrip() + "\n"


# --- HTML ----------------------------------------------------------------------------------

_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*")


def inline_html(text: str) -> str:
    """Escape text and turn its `code` and **strong** marks into HTML."""
    out = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        if m.group(1) is not None:
            out.append(f"<code>{html.escape(m.group(1))}</code>")
        else:
            out.append(f"<strong>{inline_html(m.group(2))}</strong>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _html_block(block: Block) -> str:
    match block:
        case Heading(text=text, anchor=anchor, level=level):
            return f'<h{level} id="{_attr(anchor)}">{inline_html(text)}</h{level}>'
        case Paragraph(text=text):
            return f"<p>{inline_html(text)}</p>"
        case Items(items=items, label=label, style=style):
            tag = "ol" if style == "numbered" else "ul"
            css = ' class="checklist"' if style == "checklist" else ""
            lis = "".join(f"<li>{inline_html(i)}</li>" for i in items)
            lead = f'<p class="label">{inline_html(label)}</p>' if label else ""
            return f"{lead}<{tag}{css}>{lis}</{tag}>"
        case Table(header=header, rows=rows, css=css):
            cls = f' class="{_attr(css)}"' if css else ""
            head = "".join(f"<th>{inline_html(h)}</th>" for h in header)
            body = "".join(
                "<tr>" + "".join(_td(c, css, i) for i, c in enumerate(row)) + "</tr>"
                for row in rows
            )
            return (
                f'<div class="table-wrap"><table{cls}><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table></div>"
            )
        case Quote(text=text, cite=cite):
            footer = f"<footer>{inline_html(cite)}</footer>" if cite else ""
            return f"<blockquote><p>{inline_html(text)}</p>{footer}</blockquote>"
        case Callout(text=text, tone=tone, title=title):
            head = f"<strong>{inline_html(title)}</strong> " if title else ""
            return f'<aside class="callout {_attr(tone)}"><p>{head}{inline_html(text)}</p></aside>'
        case Code(text=text):
            return f"<pre><code>{html.escape(text.rstrip())}</code></pre>"
    raise TypeError(f"unknown block {block!r}")


def _td(cell: str, css: str, index: int) -> str:
    if css == "raci" and index > 0:
        letters = "".join(sorted(cell, key="RACI".index)) if cell else ""
        main = "a" if "A" in letters else letters[:1].lower()
        kind = f' class="raci-{main}"' if letters else ""
        return f"<td{kind}>{html.escape(letters)}</td>"
    return f"<td>{inline_html(cell)}</td>"


def _toc(guide: Guide) -> Iterator[str]:
    yield '<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>'
    for part in guide.parts:
        subs = [b for b in part.blocks if isinstance(b, Heading) and b.level == 3]
        yield f'<li><a href="#{_attr(part.anchor)}">{inline_html(part.title)}</a>'
        if subs:
            # A plain list: the part's number is the only number a reader sees ("3", not "3. 1.").
            yield (
                "<ul>"
                + "".join(
                    f'<li><a href="#{_attr(b.anchor)}">{inline_html(b.text)}</a></li>' for b in subs
                )
                + "</ul>"
            )
        yield "</li>"
    yield "</ol></nav>"


CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2357a6;
        --soft: #f3f6fb; --todo: #b7791f; --todo-bg: #fff8e6; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff;
       font-family: "DejaVu Sans", "Inter", "Segoe UI", system-ui, sans-serif; line-height: 1.5; }
main { max-width: 62rem; margin: 0 auto; padding: 2.5rem 2rem 4rem; }
header.cover { border-bottom: 3px solid var(--accent); padding-bottom: 1.2rem;
               margin-bottom: 1.5rem; }
header.cover .org { text-transform: uppercase; letter-spacing: .12em; color: var(--accent);
                    font-weight: 700; font-size: .85rem; margin: 0; }
h1 { font-size: 2.1rem; line-height: 1.2; margin: .3rem 0 .5rem; }
header.cover .meta { color: var(--muted); margin: 0; font-size: .9rem; }
h2 { font-size: 1.55rem; margin: 2.6rem 0 .8rem; padding-bottom: .3rem;
     border-bottom: 1px solid var(--line); }
h2 .num { color: var(--accent); margin-right: .35rem; }
h3 { font-size: 1.2rem; margin: 1.8rem 0 .5rem; }
h4 { font-size: 1.02rem; margin: 1.4rem 0 .4rem; color: var(--accent); }
p { margin: .45rem 0; }
p.label { font-weight: 700; margin: .8rem 0 .2rem; font-size: .92rem; }
ul, ol { margin: .3rem 0 .6rem; padding-left: 1.4rem; }
li { margin: .15rem 0; }
ul.checklist { list-style: none; padding-left: .2rem; }
ul.checklist li { padding-left: 1.25em; text-indent: -1.25em; }
ul.checklist li::before { content: "☐"; margin-right: .45em; color: var(--accent); }
code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .86em;
       background: var(--soft); padding: .05rem .25rem; border-radius: 3px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .8rem;
      font-size: .8rem; white-space: pre-wrap; word-break: break-word; }
pre code { background: none; padding: 0; }
blockquote { margin: .6rem 0; padding: .5rem 1rem; border-left: 4px solid var(--accent);
             background: var(--soft); font-style: italic; }
blockquote footer { font-style: normal; color: var(--muted); font-size: .85rem; margin-top: .2rem; }
blockquote footer::before { content: "— "; }
aside.callout { margin: .7rem 0; padding: .6rem 1rem; border-radius: 6px;
                border: 1px solid var(--line); background: var(--soft); }
aside.callout.todo { border: 2px dashed var(--todo); background: var(--todo-bg); }
aside.callout.todo strong:first-child { color: var(--todo); }
.table-wrap { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
th { background: var(--soft); }
table.raci td, table.raci th { text-align: center; }
table.raci td:first-child, table.raci th:first-child { text-align: left; }
td.raci-r { background: #e3edfb; font-weight: 700; }
td.raci-a { background: #2357a6; color: #fff; font-weight: 700; }
td.raci-c { background: #f1f4f8; }
td.raci-i { color: var(--muted); }
nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 8px;
          padding: .8rem 1.4rem; margin: 1rem 0 2rem; columns: 2; column-gap: 2rem; }
nav.toc h2 { border: 0; margin: 0 0 .4rem; font-size: 1.1rem; column-span: all; }
nav.toc ol { margin: 0; padding-left: 1.2rem; }
nav.toc > ol > li { font-weight: 600; break-inside: avoid; }
nav.toc ol ul { font-weight: 400; font-size: .88rem; list-style: none; padding-left: .6rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
footer.built { margin-top: 3rem; color: var(--muted); font-size: .8rem;
               border-top: 1px solid var(--line); padding-top: .6rem; }
@media print {
  html { font-size: 9pt; }
  body { line-height: 1.36; }
  main { max-width: none; padding: 0; }
  header.cover { padding-bottom: .5rem; margin-bottom: .6rem; }
  h1 { font-size: 1.9rem; margin: .2rem 0 .3rem; }
  h2 { font-size: 1.4rem; margin: 1.3rem 0 .45rem; }
  h3 { font-size: 1.12rem; margin: .95rem 0 .3rem; }
  h4 { font-size: 1rem; margin: .75rem 0 .2rem; }
  p { margin: .25rem 0; }
  p.label { margin: .45rem 0 .1rem; }
  ul, ol { margin: .15rem 0 .35rem; }
  li { margin: .04rem 0; }
  .table-wrap { margin: .35rem 0 .55rem; }
  table { font-size: .86rem; }
  th, td { padding: .16rem .32rem; }
  table.raci td, table.raci th, table.targets td, table.targets th { font-size: .8rem; }
  pre { font-size: .8rem; line-height: 1.3; padding: .45rem .6rem; margin: .35rem 0; }
  blockquote { padding: .25rem .7rem; margin: .35rem 0; }
  aside.callout { padding: .35rem .7rem; margin: .4rem 0; }
  nav.toc { margin: .4rem 0 .8rem; padding: .4rem 1rem; font-size: .9rem; }
  h2, h3, h4, p.label { break-after: avoid; }
  tr, li, blockquote, aside { break-inside: avoid; }
  section.part.appendix { break-before: page; }
  a { color: inherit; }
  .table-wrap { overflow: visible; }
}
"""


def to_html_body(guide: Guide) -> str:
    """Render the guide's contents and parts without its cover, to sit inside another page."""
    body = list(_toc(guide))
    for part in guide.parts:
        css = "part appendix" if part.key == "appendix" else "part"
        body.append(f'<section class="{css}" id="{_attr(part.anchor)}">')
        body.append(f'<h2><span class="num">{part.number}.</span> {inline_html(part.title)}</h2>')
        body.extend(_html_block(b) for b in part.blocks)
        body.append("</section>")
    return "\n".join(body)


def to_html(guide: Guide, *, extra_css: str = "") -> str:
    """Render the guide as one standalone HTML page: styles inline, table of contents, printable."""
    values = sum(1 for t in guide.traces if t.statement.kind.value == "value")
    principles = len(guide.traces) - values
    body = [
        '<header class="cover">',
        f'<p class="org" id="org-name">{html.escape(guide.organisation)}</p>',
        f"<h1>{html.escape(guide.title)}</h1>",
        f'<p class="meta">{values} core values · {principles} leadership principles · built '
        f"by nofault {html.escape(__version__)} on {guide.built_on.isoformat()}</p>",
        "</header>",
        to_html_body(guide),
    ]
    body.append(
        f'<footer class="built">{html.escape(guide.title)} · generated from '
        f"{html.escape(guide.organisation)}'s core values and leadership principles "
        "by nofault. Edit the values, principles or guide.toml and rebuild; do not "
        "edit this page.</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(guide.title)}</title>\n"
        f'<meta name="generator" content="nofault {html.escape(__version__)}">\n'
        f"<style>{CSS}{extra_css}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
