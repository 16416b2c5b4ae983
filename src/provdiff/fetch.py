"""Stage ``fetch``: pages from the web, read like saved pages, with what the server said about them.

Revisions of news articles happen on the publisher's site, so provdiff goes and gets them. One
``httpx`` client per run: a clear user agent, timeouts, at most five redirects, bodies streamed and
cut off past the size limit, the charset from ``Content-Type`` or the page's ``<meta>`` (tried after
UTF-8). ``robots.txt`` is
respected by default, per RFC 9309: a missing file (4xx) allows everything; an unreachable one (5xx,
network error) disallows the host for this run. Each page that arrives becomes a ``RawDocument`` whose
raw bytes are the response body, whose URL is the final one after redirects, and which carries the
fetch time and the HTTP facts (status, ``ETag``, ``Last-Modified``, content type) into the record.
Anything that goes wrong with one URL is one line in the run's failures; the other URLs go on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from provdiff import __version__
from provdiff.errors import ProvdiffError
from provdiff.model import Format, Metadata, RawDocument
from provdiff.read import DEFAULT_MAX_BYTES, ReadOptions, read_bytes

if TYPE_CHECKING:  # httpx takes 0.13 s to import: every command but fetch and watch goes without
    import httpx

USER_AGENT = f"provdiff/{__version__} (news provenance tracker; fetches articles to record their revisions)"
_KEPT_HEADERS = ("etag", "last-modified", "content-type")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ROBOTS_BYTES = 512 * 1024  # RFC 9309: a parser must read at least 500 KiB; the rest is ignored
# per host of a run: its robots.txt, or why it could not be read (the host is then not fetched)
Robots = dict[str, "RobotFileParser | str"]


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How pages are fetched."""

    timeout: float = 20.0  # seconds: for connecting, for each read, and for a whole body
    max_bytes: int = DEFAULT_MAX_BYTES
    robots: bool = True  # respect robots.txt
    user_agent: str = USER_AGENT


class Refused(Exception):
    """One URL could not be turned into a document; the message is the user's line."""


class NotModified(Exception):
    """The server answered 304 to a conditional request: the stored version is current."""


def fetch_pages(
    urls: Sequence[str], options: FetchOptions = FetchOptions(), meta: Metadata = Metadata()
) -> tuple[list[RawDocument], list[str]]:
    """(documents fetched, one failure line per URL that failed), in the order of ``urls``."""
    import httpx  # noqa: PLC0415 - loaded only when a command fetches

    documents: list[RawDocument] = []
    failures: list[str] = []
    robots: Robots = {}
    with client_for(options) as client:
        for url in urls:
            try:
                documents.append(fetch_one(client, url, options, meta, robots))
            except Refused as exc:
                failures.append(f"{url}: {exc}")
            except ProvdiffError as exc:
                failures.append(str(exc))
            except httpx.TimeoutException:
                failures.append(
                    f"{url}: no answer within {options.timeout:g} s; try again later or raise --timeout"
                )
            except httpx.TooManyRedirects:
                failures.append(f"{url}: more than 5 redirects; check the URL")
            except httpx.HTTPError as exc:
                failures.append(f"{url}: {type(exc).__name__}: {exc}")
    return documents, failures


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its first 2 KB (``<meta charset>`` or ``http-equiv``), if any.

    >>> meta_charset(b'<html><head><meta charset="windows-1252"><title>x</title>')
    'windows-1252'
    >>> meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'ISO-8859-1'
    """
    found = _META_CHARSET.search(body[:2048])
    return found.group(1).decode("ascii") if found else None


def client_for(options: FetchOptions) -> httpx.Client:
    """The run's HTTP client: user agent, timeouts, redirects followed (at most five)."""
    import httpx  # noqa: PLC0415 - loaded only when a command fetches

    headers = {"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout), follow_redirects=True, max_redirects=5, headers=headers
    )


def get_body(
    client: httpx.Client, url: str, options: FetchOptions, headers: dict[str, str]
) -> tuple[httpx.Response, bytes]:
    """GET ``url`` streamed, refusing a body past the size limit: the response and its body."""
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 304:
            raise NotModified
        if response.status_code != 200:
            raise Refused(f"HTTP {response.status_code} {response.reason_phrase}")
        body = _bounded(response, options, options.max_bytes)
        if len(body) > options.max_bytes:
            raise Refused(f"body over the {options.max_bytes:,}-byte limit; raise --max-bytes to fetch it")
    return response, body


def _bounded(response: httpx.Response, options: FetchOptions, limit: int) -> bytes:
    """The body, read until it passes ``limit`` bytes (decompressed bytes counted, so a gzip bomb
    stops there; the caller refuses or cuts what is longer) and within ``options.timeout`` seconds
    in all: httpx's timeout is per read, and a server that sends a byte a second never lets one
    expire."""
    start = time.monotonic()
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            break
        if time.monotonic() - start > options.timeout:
            raise Refused(
                f"no whole answer within {options.timeout:g} s (the server sends too slowly); "
                "try again later or raise --timeout"
            )
    return bytes(body)


def fetch_one(
    client: httpx.Client,
    url: str,
    options: FetchOptions,
    meta: Metadata,
    robots: Robots,
    *,
    conditional: dict[str, str] | None = None,
) -> RawDocument:
    """One page as a document; ``Refused`` (with the user's line) or ``NotModified`` otherwise.

    ``conditional`` holds ``If-None-Match`` / ``If-Modified-Since`` from the last fetch.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Refused("not an http(s) URL")
    if options.robots and not _allowed(client, url, options, robots):
        trouble = robots.get(f"{parts.scheme}://{parts.netloc}")
        if isinstance(trouble, str):
            raise Refused(
                f"cannot read the robots.txt of {parts.netloc} ({trouble}); try again later, or pass "
                "--ignore-robots to fetch anyway"
            )
        raise Refused("robots.txt disallows fetching it (pass --ignore-robots to fetch anyway)")
    fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    response, body = get_body(client, url, options, conditional or {})
    kind = response.headers.get("content-type", "")
    if kind and "html" not in kind.lower() and "xml" not in kind.lower():
        raise Refused(f"not a web page ({kind.split(';')[0]}); fetch HTML pages only")
    final = str(response.url)
    charset = response.charset_encoding or meta_charset(body)
    http = (
        ("status", str(response.status_code)),
        *((name, response.headers[name]) for name in _KEPT_HEADERS if name in response.headers),
    )
    read = ReadOptions(format=Format.HTML, max_bytes=options.max_bytes, encoding=charset)
    (document,) = read_bytes(body, final, read, replace(meta, url=meta.url or final))
    if final != url:
        http += (("requested", url),)
    return replace(document, captured_at=fetched_at, http=http)


def _allowed(client: httpx.Client, url: str, options: FetchOptions, cache: Robots) -> bool:
    """Whether robots.txt lets the page be fetched. Read once per host and run, streamed under
    the size limit and the deadline like a page (RFC 9309 asks parsers to read at least 500 KiB;
    the rest of a bigger file is ignored, never held). An unreachable or failing robots.txt
    disallows the host for the run (RFC 9309, 2.3.1.4); the cache keeps why, as text."""
    import httpx  # noqa: PLC0415 - loaded only when a command fetches

    parts = urlsplit(url)
    host = f"{parts.scheme}://{parts.netloc}"
    if host not in cache:
        cache[host] = _robots(client, host, options, httpx)
    parser = cache[host]
    return isinstance(parser, RobotFileParser) and parser.can_fetch(options.user_agent, url)


def _robots(client: httpx.Client, host: str, options: FetchOptions, httpx: Any) -> RobotFileParser | str:
    parser = RobotFileParser()
    limit = min(options.max_bytes, _ROBOTS_BYTES)
    try:
        with client.stream("GET", f"{host}/robots.txt") as answer:
            if answer.status_code >= 500:
                return f"HTTP {answer.status_code}"
            if answer.status_code >= 400:
                parser.parse(["User-agent: *", "Allow: /"])  # no robots.txt: everything is allowed
                return parser
            body = _bounded(answer, options, limit)
            parser.parse(body[:limit].decode("utf-8", "replace").splitlines())
    except Refused:  # the deadline passed
        return f"no whole answer within {options.timeout:g} s"
    except httpx.HTTPError as exc:
        return type(exc).__name__.replace("Error", " error").strip().lower()
    return parser
