"""The policy document's text blocks are Markdown written by staff. Two safe readings of it: HTML for the public
page and the PDF, and a list of plain blocks (headings, paragraphs with styled runs, list items, tables) for DOCX.

Raw HTML is switched off, so whatever staff type is shown as text, never as markup; markdown-it's link check drops
`javascript:` and other unsafe URLs. Headings inside a text block are shifted below the section heading, so a
block's `#` never competes with the document's own structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

_parser = MarkdownIt("commonmark", {"html": False}).enable("table")

BlockKind = Literal["heading", "paragraph", "bullet", "number", "quote", "code", "table"]


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""


@dataclass
class Block:
    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # heading level after the shift, or list depth (0 = top level)
    header: list[list[Run]] = field(default_factory=list)  # a table's header cells
    rows: list[list[list[Run]]] = field(default_factory=list)  # a table's body: rows of cells of runs
    # The first item of a numbered list, and the number it starts at: Word continues a numbering across
    # lists unless told where each one begins.
    list_start: int | None = None

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _tokens(text: str, heading_offset: int) -> list[Token]:
    tokens = _parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + heading_offset, 6)}"
    return tokens


def markdown_html(text: str, *, heading_offset: int = 2) -> SafeString:
    """HTML of a text block; `heading_offset=2` turns `#` into `<h3>` under a section's `<h2>`."""
    tokens = _tokens(text, heading_offset)
    html: str = _parser.renderer.render(tokens, _parser.options, {})
    # Safe: html is off, so every character staff typed is escaped by the renderer.
    return mark_safe(html)  # noqa: S308


def _runs(inline: Token) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    href = ""
    for child in inline.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
        elif child.type == "link_close":
            href = ""
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run("\n" if child.type == "hardbreak" else " ", bold, italic, False, href))
        elif child.type == "code_inline":
            runs.append(Run(child.content, bold, italic, True, href))
        elif child.type == "image" or child.content:
            runs.append(Run(child.content, bold, italic, False, href))
    return runs


def markdown_blocks(text: str, *, heading_offset: int = 1) -> list[Block]:
    """The block structure of a text block; `heading_offset=1` turns `#` into a level-2 heading under a
    section's level-1 heading."""
    blocks: list[Block] = []
    lists: list[BlockKind] = []  # the open lists, innermost last
    starting: int | None = None  # a numbered list just opened: its first item's number
    quote_depth = 0
    table: Block | None = None
    in_header = False
    for token in _tokens(text, heading_offset):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append("bullet")
        elif kind == "ordered_list_open":
            lists.append("number")
            starting = int(token.attrGet("start") or 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "heading_open":
            blocks.append(Block("heading", level=int(token.tag[1])))
        elif kind == "paragraph_open":
            if lists:
                blocks.append(Block(lists[-1], level=len(lists) - 1, list_start=starting))
                starting = None
            elif quote_depth:
                blocks.append(Block("quote"))
            else:
                blocks.append(Block("paragraph"))
        elif kind in ("fence", "code_block"):
            blocks.append(Block("code", runs=[Run(token.content.rstrip("\n"), code=True)]))
        elif kind == "table_open":
            table = Block("table")
            blocks.append(table)
        elif kind == "thead_open":
            in_header = True
        elif kind == "thead_close":
            in_header = False
        elif kind == "tr_open" and table is not None and not in_header:
            table.rows.append([])
        elif kind == "table_close":
            table = None
        elif kind == "inline":
            runs = _runs(token)
            if table is not None:
                (table.header if in_header else table.rows[-1]).append(runs)
            elif blocks:
                blocks[-1].runs.extend(runs)
    return blocks
