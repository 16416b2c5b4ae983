"""WordPress REST API posts (``/wp-json/wp/v2/posts/<id>``), whole or truncated.

Saved API responses are often cut short or carry raw control characters inside strings, and
``json.loads`` then gives nothing; the lenient parser keeps every field that arrived. A salvaged post
is flagged, never presented as complete.
"""

from __future__ import annotations

import html

from provdiff.errors import ParseError
from provdiff.model import Action, BodyKind, Format, Metadata, RawDocument, RepairEvent
from provdiff.read import lenient_json
from provdiff.read.dates import parse_date


def _rendered(post: dict[str, lenient_json.JsonValue], key: str) -> str | None:
    value = post.get(key)
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) and value.strip() else None


def _date(post: dict[str, lenient_json.JsonValue], key: str) -> str | None:
    gmt, local = post.get(f"{key}_gmt"), post.get(key)
    if isinstance(gmt, str) and gmt:
        return parse_date(gmt, assume_utc=True)
    if isinstance(local, str) and local:
        return parse_date(local)
    return None


def looks_like_post(value: lenient_json.JsonValue) -> bool:
    """True for an object carrying the fields every WordPress post has."""
    return isinstance(value, dict) and "content" in value and ("guid" in value or "slug" in value)


def read_wordpress(data: bytes, text: str, origin: str, events: tuple[RepairEvent, ...]) -> RawDocument:
    """Read one post; salvage the fields before a truncation and flag what was lost."""
    try:
        parsed = lenient_json.parse(text)
    except ValueError as exc:
        raise ParseError(f"{origin}: not JSON ({exc}); pass --format to choose another reader") from exc
    post = parsed.value
    if not isinstance(post, dict):
        raise ParseError(f"{origin}: expected one WordPress post object; got {type(post).__name__}")
    content = _rendered(post, "content")
    if content is None:
        raise ParseError(f"{origin}: the WordPress post has no content.rendered text; check the export")
    found = list(events)
    if not parsed.complete:
        found.append(
            RepairEvent(
                "salvage",
                Action.FLAGGED,
                "truncated or malformed JSON: kept the fields that arrived "
                f"({', '.join(sorted(post))}); the text may end early",
            )
        )
    title = _rendered(post, "title")
    native = post.get("id")
    return RawDocument(
        data=data,
        origin=origin,
        format=Format.WORDPRESS,
        body=content,
        body_kind=BodyKind.HTML_FRAGMENT,
        meta=Metadata(
            url=post.get("link") if isinstance(post.get("link"), str) else None,  # type: ignore[arg-type]
            title=html.unescape(title) if title else None,
            published=_date(post, "date"),
            modified=_date(post, "modified"),
            guid=_rendered(post, "guid"),
            native_id=str(native) if isinstance(native, int) else None,
            slug=post.get("slug") if isinstance(post.get("slug"), str) else None,  # type: ignore[arg-type]
        ),
        events=tuple(found),
    )
