"""Markdown articles: optional front matter, a ``#`` headline, body rendered to HTML.

Rendering with markdown-it (CommonMark) and then cutting HTML into paragraphs means Markdown and HTML
share one paragraph rule, and inline markup (links, emphasis) never leaks into claims as punctuation.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from provdiff.model import BodyKind, Format, Metadata, RawDocument, RepairEvent
from provdiff.read.dates import parse_date

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_HEADLINE = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # noqa: PLC0415 - 40 ms of start-up, Markdown input only

    return MarkdownIt("commonmark")


def _render(markdown: str) -> str:
    return str(_parser().render(markdown))


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def read_markdown(data: bytes, text: str, origin: str, events: tuple[RepairEvent, ...]) -> RawDocument:
    """Read front matter fields (title, url, date/published, source), then the headline and body."""
    fields, body = _front_matter(text)
    title = fields.get("title")
    headline = _HEADLINE.match(body)
    if headline is not None:
        title = title or headline.group(1)
        body = body[headline.end() :]
    published = fields.get("published") or fields.get("date")
    return RawDocument(
        data=data,
        origin=origin,
        format=Format.MARKDOWN,
        body=_render(body),
        body_kind=BodyKind.HTML_FRAGMENT,
        meta=Metadata(
            source=fields.get("source"),
            url=fields.get("url"),
            title=title,
            published=parse_date(published) if published else None,
            slug=fields.get("slug"),
        ),
        events=events,
    )
