"""Stage ``watch``: follow feeds and article URLs, re-check pages on a schedule, politely.

What to follow is in the corpus's ``provdiff.toml``::

    [[feed]]                 # RSS, Atom, JSON Feed, or a WordPress REST listing (/wp-json/wp/v2/posts)
    url = "https://news.example/feed"
    source = "news-example"

    [[page]]                 # an article URL to keep re-checking
    url = "https://news.example/2025/03/port-strike"
    source = "news-example"

    [schedule]               # hours after first fetch at which a page is fetched again
    recheck = [1, 3, 9, 24, 72, 168]
    [schedule.sources]       # per source, when it edits differently
    news-example = [0.5, 2, 6, 24]

News is edited mostly in its first hours and rarely after days, so a page is re-checked at those
offsets from its first fetch and then left alone. Re-checks are conditional (``If-None-Match`` /
``If-Modified-Since`` from the last answer; a 304 costs the server nothing). A host that fails
(network error, timeout, 5xx, 429) is backed off, doubling from 5 minutes up to a day, and its URLs are
skipped until then. The state (what was seen when, validators, back-off) is derived data in the
ignored state directory; losing it only means pages get fetched once more.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree

from provdiff.errors import OptionError, ProvdiffError
from provdiff.fetch import FetchOptions, NotModified, Refused, Robots, client_for, fetch_one, get_body
from provdiff.model import Metadata, RawDocument

DEFAULT_RECHECK = (1.0, 3.0, 9.0, 24.0, 72.0, 168.0)
_BACKOFF_START = timedelta(minutes=5)
_BACKOFF_MAX = timedelta(days=1)
STATE_NAME = "watch.json"


@dataclass(frozen=True, slots=True)
class Target:
    """A feed or a page to follow, with the source its articles belong to, and for a feed the
    other hosts its links may lead to (``hosts = [...]``; by default only the feed's own)."""

    url: str
    source: str | None = None
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """The ``[[feed]]``, ``[[page]]`` and ``[schedule]`` tables of ``provdiff.toml``."""

    feeds: tuple[Target, ...] = ()
    pages: tuple[Target, ...] = ()
    recheck: tuple[float, ...] = DEFAULT_RECHECK
    per_source: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def schedule(self, source: str | None) -> tuple[float, ...]:
        return self.per_source.get(source or "", self.recheck)


def load_config(path: Path) -> WatchConfig:
    """Read the watch tables of ``provdiff.toml``; ``OptionError`` naming what is wrong."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise OptionError(f"{path}: cannot read the corpus settings ({exc}); fix the TOML") from exc

    def targets(key: str) -> tuple[Target, ...]:
        out = []
        listed = document.get(key, [])
        if not isinstance(listed, list):
            raise OptionError(f'{path}: {key} must be [[{key}]] tables, each with a url = "..."')
        for number, entry in enumerate(listed, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                raise OptionError(f'{path}: [[{key}]] number {number} needs a url = "..."')
            hosts = entry.get("hosts", [])
            if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
                raise OptionError(
                    f'{path}: [[{key}]] number {number}: hosts is a list, like hosts = ["cdn.example.org"]'
                )
            out.append(Target(entry["url"], entry.get("source"), tuple(h.lower() for h in hosts)))
        return tuple(out)

    schedule = document.get("schedule", {})
    wrong = OptionError(f"{path}: [schedule] holds lists of positive hours, like recheck = [1, 3, 24]")
    if not isinstance(schedule, dict) or not isinstance(schedule.get("sources", {}), dict):
        raise wrong
    try:
        recheck = _hours(schedule.get("recheck", DEFAULT_RECHECK))
        per_source = {str(k): _hours(v) for k, v in schedule.get("sources", {}).items()}
    except (TypeError, ValueError):
        raise wrong from None
    return WatchConfig(targets("feed"), targets("page"), recheck, per_source)


def _hours(value: object) -> tuple[float, ...]:
    """A list of hours: finite and positive (``nan`` compares false with every moment and would
    make a page due never and always)."""
    if not isinstance(value, list | tuple):
        raise TypeError(value)
    hours = tuple(float(h) for h in value)
    if not all(math.isfinite(h) and h > 0 for h in hours):
        raise ValueError(value)
    return hours


def feed_links(body: bytes, base: str) -> list[str]:
    """Article URLs of a feed: RSS ``<item><link>``, Atom ``<entry><link href>``, JSON Feed ``items[].url``,
    WordPress REST listing ``[].link``; in feed order, duplicates removed.

    >>> feed_links(b'<rss><channel><item><link>/a</link></item></channel></rss>', "https://x.org/feed")
    ['https://x.org/a']
    """
    text = body.lstrip()
    links: list[str] = []
    if not text:
        raise ValueError("the feed is empty")
    if text.startswith((b"{", b"[")):
        try:
            document = json.loads(text)
        except RecursionError:
            raise ValueError("the JSON feed is nested too deep") from None
        items = document.get("items", []) if isinstance(document, dict) else document
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                link = item.get("url") or item.get("link") or item.get("external_url")
                if isinstance(link, str):
                    links.append(link)
    else:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
        try:
            root = etree.fromstring(text, parser)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not a feed ({exc})") from None
        if root is None:
            raise ValueError("not a feed")
        for element in root.iter():
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            holder = element.getparent()
            if name == "link" and holder is not None:
                parent = etree.QName(holder).localname
                if parent == "item" and element.text:
                    links.append(element.text.strip())
                elif (
                    parent == "entry"
                    and element.get("rel", "alternate") == "alternate"
                    and element.get("href")
                ):
                    links.append(element.get("href", ""))
    return list(dict.fromkeys(urljoin(base, link) for link in links if link))


@dataclass
class _Page:
    source: str | None
    first: str
    checks: int = 0
    due: str = ""
    etag: str | None = None
    modified: str | None = None


@dataclass
class WatchState:
    """What the runs so far saw: pages (first fetch, checks made, next due, validators), host back-off."""

    pages: dict[str, _Page] = field(default_factory=dict)
    backoff: dict[str, tuple[str, int]] = field(default_factory=dict)  # host -> (until, failures)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            pages = {url: _Page(**fields) for url, fields in document.get("pages", {}).items()}
            backoff = {host: (until, int(n)) for host, (until, n) in document.get("backoff", {}).items()}
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):  # [] or null too
            return cls()  # derived state: start afresh rather than trust a damaged file
        return cls(pages, backoff)

    def save(self, path: Path) -> None:
        document = {
            "pages": {url: page.__dict__ for url, page in sorted(self.pages.items())},
            "backoff": {host: list(value) for host, value in sorted(self.backoff.items())},
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(document, indent=1), encoding="utf-8")
        temporary.replace(path)  # never a half-written state file


@dataclass
class WatchRun:
    """What one run did, for its summary line."""

    documents: list[RawDocument] = field(default_factory=list)
    checked: int = 0
    not_modified: int = 0
    not_due: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def run(
    config: WatchConfig, state: WatchState, options: FetchOptions, now: datetime | None = None
) -> WatchRun:
    """Read the feeds, then fetch every new or due page; update ``state`` in place."""
    import httpx  # noqa: PLC0415 - loaded only when a command fetches (0.13 s: see fetch)

    moment = now or datetime.now(UTC)
    result = WatchRun()
    robots: Robots = {}
    with client_for(options) as client:
        found: dict[str, str | None] = {t.url: t.source for t in config.pages}
        for feed in config.feeds:
            if not _valid(feed.url):
                result.failures.append(f"feed {feed.url}: not a valid URL")
                continue
            if _backing_off(state, feed.url, moment):
                result.skipped += 1
                continue
            try:
                response, body = get_body(client, feed.url, options, {})
            except (Refused, NotModified) as exc:  # no validators are sent for feeds: no 304
                if _server_trouble(exc):
                    _fail_host(state, feed.url, moment)
                result.failures.append(f"feed {feed.url}: {exc}")
                continue
            except httpx.HTTPError as exc:
                _fail_host(state, feed.url, moment)
                result.failures.append(f"feed {feed.url}: {type(exc).__name__}: {exc}")
                continue
            try:
                links = feed_links(body, str(response.url))
            except ValueError as exc:  # one bad feed is reported; the run goes on
                result.failures.append(f"feed {feed.url}: {exc}")
                continue
            allowed = {urlsplit(feed.url).netloc.lower(), *feed.hosts}
            for link in links:
                if not _valid(link) or urlsplit(link).netloc.lower() not in allowed:
                    # a feed may not steer watch to another host or port (an internal service)
                    result.failures.append(
                        f"feed {feed.url}: link {link} leads to another host; not fetched "
                        "(list it in that feed's hosts = [...] to follow it)"
                    )
                    continue
                found.setdefault(link, feed.source)
        for url, source in found.items():
            if not _valid(url):  # "http://[::1" in a feed: that link only, stated, not stored
                result.failures.append(f"{url}: not a valid URL")
                continue
            page = state.pages.get(url)
            if page is not None and (not page.due or _parse(page.due) > moment):
                result.not_due += 1
                continue
            if _backing_off(state, url, moment):
                result.skipped += 1
                continue
            result.checked += 1
            conditional = {}
            if page is not None and page.etag:
                conditional["If-None-Match"] = page.etag
            if page is not None and page.modified:
                conditional["If-Modified-Since"] = page.modified
            meta = Metadata(source=source)
            try:
                document = fetch_one(client, url, options, meta, robots, conditional=conditional)
            except NotModified:
                result.not_modified += 1
                _advance(state, config, url, source, moment)
                continue
            except (Refused, ProvdiffError) as exc:
                result.failures.append(f"{url}: {exc}")
                if _server_trouble(exc):
                    _fail_host(state, url, moment)
                _advance(state, config, url, source, moment)
                continue
            except httpx.InvalidURL as exc:
                result.failures.append(f"{url}: not a valid URL ({exc})")
                continue
            except httpx.HTTPError as exc:
                _fail_host(state, url, moment)
                result.failures.append(f"{url}: {type(exc).__name__}")
                continue
            state.backoff.pop(urlsplit(url).netloc, None)
            result.documents.append(document)
            _advance(state, config, url, source, moment, http=dict(document.http))
    return result


def _valid(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def _advance(
    state: WatchState,
    config: WatchConfig,
    url: str,
    source: str | None,
    moment: datetime,
    *,
    http: dict[str, str] | None = None,
) -> None:
    """Count a check of ``url`` and set when it is due next (never, past the schedule's end)."""
    page = state.pages.setdefault(url, _Page(source, _stamp(moment)))
    page.checks += 1
    if http is not None:
        page.etag = http.get("etag")
        page.modified = http.get("last-modified")
    schedule = config.schedule(source)
    due = [h for h in schedule if _parse(page.first) + timedelta(hours=h) > moment]
    page.due = _stamp(_parse(page.first) + timedelta(hours=due[0])) if due else ""


def _server_trouble(exc: Exception) -> bool:
    """5xx and 429 mean the host is struggling: back off; 4xx are about the page only."""
    return str(exc).startswith(("HTTP 5", "HTTP 429"))


def _backing_off(state: WatchState, url: str, moment: datetime) -> bool:
    entry = state.backoff.get(urlsplit(url).netloc)
    return entry is not None and _parse(entry[0]) > moment


def _fail_host(state: WatchState, url: str, moment: datetime) -> None:
    host = urlsplit(url).netloc
    failures = state.backoff.get(host, ("", 0))[1] + 1
    wait = min(_BACKOFF_START * 2 ** (failures - 1), _BACKOFF_MAX)
    state.backoff[host] = (_stamp(moment + wait), failures)


def summary(result: WatchRun, stored: Sequence[str], revised: Sequence[str]) -> str:
    """The one line a cron mail or a journal shows."""
    return (
        f"watch: {result.checked} page(s) checked, {len(stored)} new, {len(revised)} revised, "
        f"{result.not_modified} not modified, {result.not_due} not due, {result.skipped} skipped "
        f"(host backing off), {len(result.failures)} failed"
    )
