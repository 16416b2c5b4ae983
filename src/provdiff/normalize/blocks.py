"""Cutting a document body into paragraph blocks: plain text, HTML fragments and whole pages.

HTML is walked with the standard library's event parser rather than a tree builder because saved
article bodies are often broken in ways tree builders "repair" away: the WordPress export in the seed
corpus closes every paragraph with ``</p>`` but opens none, and a tree builder drops those end tags
and with them every paragraph boundary. An event parser still sees each end tag.

Whole pages first go through trafilatura, which finds the main content and leaves navigation,
comment sections and related-article lists behind; when it finds nothing (very short pages) the same
walker runs over the page with page chrome (nav, header, footer, aside, forms) skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from provdiff.model import Action, RepairEvent

# Tags whose start or end separates paragraphs.
_BLOCK_TAGS = frozenset(
    (
        "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
        "h6 header hr li main nav ol p pre section table tbody td th thead tr ul"
    ).split()
)
# Tags whose content is never article text.
_SKIP_ALWAYS = frozenset(
    (
        "script style noscript template svg math iframe object canvas button select option "
        "textarea input label form"
    ).split()
)
# Page chrome, skipped only when walking a whole page without trafilatura's help.
_SKIP_CHROME = frozenset("nav header footer aside menu dialog".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_CHROME_HINT = re.compile(r"\b(?:comment|share|social|related|newsletter|menu|nav|sidebar|footer)", re.I)

# Hard-wrapped plain text: every line but a block's last is between these lengths.
_WRAP_MIN, _WRAP_MAX = 50, 100


# C0 and C1 control characters and DEL: no news text holds them, and a terminal obeys them (an
# article could retitle the window, plant a link or clear the screen of whoever reads a diff); a
# lone surrogate (a JSON "\ud800") is no character at all and cannot be written as UTF-8
_CONTROLS = dict.fromkeys([*range(32), *range(127, 160)], " ")
_CONTROLS |= dict.fromkeys(range(0xD800, 0xE000), "\ufffd")


def clean(text: str) -> str:
    """One paragraph on one line: runs of whitespace (newlines included) become one space, and
    control characters are spaces too."""
    return " ".join(text.translate(_CONTROLS).split())


def text_blocks(body: str) -> list[str]:
    """Paragraphs of plain text.

    Blank lines separate paragraphs. Inside a block, lines are joined when the block looks
    hard-wrapped and kept apart otherwise (a byline under a paragraph, a list of short lines).

    >>> text_blocks("Para one.\\n\\nName\\nName\\n")
    ['Para one.', 'Name', 'Name']
    >>> [len(b) for b in text_blocks(("a" * 60 + "\\n") * 2 + "end.")]
    [126]
    """
    out: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        wrapped = len(lines) > 1 and all(_WRAP_MIN <= len(line) <= _WRAP_MAX for line in lines[:-1])
        if wrapped:
            out.append(clean(" ".join(lines)))
        else:
            out.extend(clean(line) for line in lines)
    return [b for b in out if b]


class _BlockWalker(HTMLParser):
    def __init__(self, skip: frozenset[str], skip_hinted: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.skip_hinted = skip_hinted
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []  # stack of open skipped tags

    def _flush(self) -> None:
        text = clean("".join(self.current))
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and tag not in _VOID:
                self.skipping.append(tag)
            return
        hinted = (
            self.skip_hinted
            and tag in {"div", "section", "ul", "aside"}
            and any(
                name in {"id", "class", "role"} and value and _CHROME_HINT.search(value)
                for name, value in attrs
            )
        )
        if (tag in self.skip or hinted) and tag not in _VOID:
            self._flush()
            self.skipping.append(tag)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(html: str, *, page: bool = False) -> list[str]:
    """Paragraphs of an HTML fragment, or of a page when ``page`` (chrome skipped).

    >>> html_blocks("First <b>bold</b> line.</p>\\n Second.</p><script>x()</script>")
    ['First bold line.', 'Second.']
    """
    walker = _BlockWalker(_SKIP_ALWAYS | _SKIP_CHROME if page else _SKIP_ALWAYS, page)
    walker.feed(html)
    walker.close()
    return walker.blocks


def page_blocks(html: str) -> tuple[list[str], tuple[RepairEvent, ...]]:
    """Main-content paragraphs of a whole page, with an event saying how they were found."""
    # favor_precision: on pages without clear article markup, trafilatura's recall mode merges the
    # navigation and the text into one paragraph; precision mode keeps them apart or leaves nav out.
    from trafilatura import extract  # noqa: PLC0415 - imported on first page: 0.25 s of start-up

    main = extract(
        html, output_format="html", include_comments=False, include_tables=True, favor_precision=True
    )
    if main:
        blocks = html_blocks(main)
        if blocks:
            return blocks, (
                RepairEvent(
                    "html-main-content",
                    Action.REMOVED,
                    "kept the main content found by trafilatura; page navigation, comments and "
                    "chrome dropped (the raw page is kept)",
                ),
            )
    blocks = html_blocks(html, page=True)
    return blocks, (
        RepairEvent(
            "html-main-content",
            Action.FLAGGED,
            "trafilatura found no main content; used the whole page without navigation, header, "
            "footer, forms and comment blocks",
        ),
    )
