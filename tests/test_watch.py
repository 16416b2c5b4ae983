"""provdiff watch against a real HTTP server on 127.0.0.1: feeds, schedule, conditional requests, back-off."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from provdiff import api
from provdiff.cli import app
from provdiff.model import RevisionKind
from provdiff.store import Corpus
from provdiff.store.lock import corpus_lock
from provdiff.watch import feed_links
from tests.conftest import QuietServer

runner = CliRunner()
START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


class _Site(BaseHTTPRequestHandler):
    ships: ClassVar[dict[str, str]] = {"/a": "40", "/b": "7"}
    conditional_hits = 0
    down = False

    def do_GET(self) -> None:
        site = type(self)
        if self.path == "/robots.txt":
            return self._send(404, "text/plain", b"")
        if site.down:
            return self._send(503, "text/html", b"busy")
        if self.path == "/rss":
            items = "".join(f"<item><title>x</title><link>{p}</link></item>" for p in ("/a", "/b"))
            return self._send(200, "application/rss+xml", f"<rss><channel>{items}</channel></rss>".encode())
        if self.path in site.ships:
            etag = f'"{site.ships[self.path]}"'
            if self.headers.get("If-None-Match") == etag:
                site.conditional_hits += 1
                return self._send(304, "text/html", b"", etag)
            body = (
                f"<html><head><title>Story {self.path}</title></head><body><article>"
                f"<h1>Story {self.path}</h1><p>Officials at the harbour counted "
                f"{site.ships[self.path]} ships waiting on {self.path}.</p>"
                "<p>The port authority expects the queue to clear within the week.</p>"
                "</article></body></html>"
            ).encode()
            return self._send(200, "text/html; charset=utf-8", body, etag)
        return self._send(404, "text/html", b"no")

    def _send(self, status: int, kind: str, body: bytes, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def site() -> Iterator[str]:
    _Site.ships = {"/a": "40", "/b": "7"}
    _Site.conditional_hits = 0
    _Site.down = False
    server = QuietServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture
def watched(corpus: Corpus, site: str) -> Corpus:
    settings = corpus.root / "provdiff.toml"
    settings.write_text(
        settings.read_text()
        + f'\n[[feed]]\nurl = "{site}/rss"\nsource = "harbour-news"\n'
        + "\n[schedule]\nrecheck = [1, 24]\n",
        encoding="utf-8",
    )
    return corpus


def test_new_articles_then_revisions_on_schedule_with_conditional_requests(watched: Corpus) -> None:
    outcome, run = api.watch(watched, now=START)
    assert len(outcome.added) == 2 and run.checked == 2
    assert watched.branch and len(watched.article_ids()) == 2
    again, run = api.watch(watched, now=START + timedelta(minutes=30))  # nothing due yet
    assert again.commit is None and (run.checked, run.not_due) == (0, 2)
    _Site.ships["/a"] = "65"  # one page edited at the source
    later, run = api.watch(watched, now=START + timedelta(hours=1, minutes=5))
    assert later.commit is not None and len(later.updated) == 1
    assert (run.checked, run.not_modified) == (2, 1)  # the unchanged one answered 304
    assert _Site.conditional_hits == 1
    a = next(i for i in watched.article_ids() if (watched.load(i).meta.url or "").endswith("/a"))
    assert [r.kind for r in watched.revisions(a)] == [RevisionKind.FIRST, RevisionKind.UPDATE]
    api.watch(watched, now=START + timedelta(days=3))  # past the last re-check
    _, run_after = api.watch(watched, now=START + timedelta(days=4))
    assert run_after.checked == 0 and run_after.not_due == 2


def test_errors_are_reported_hosts_back_off_and_runs_do_not_overlap(watched: Corpus) -> None:
    _Site.down = True
    result = runner.invoke(app, ["watch", "--corpus", str(watched.root)])
    assert result.exit_code == 1  # the run achieved nothing
    assert "0 new" in result.output and "failed: feed" in result.output
    state = json.loads((watched.state_dir / "watch.json").read_text())
    assert next(iter(state["backoff"].values()))[1] == 1
    _Site.down = False
    skipped = runner.invoke(app, ["watch", "--corpus", str(watched.root)])
    assert "1 skipped" in skipped.output  # the host is still backing off
    with corpus_lock(watched.state_dir, "watch.lock"):
        busy = runner.invoke(app, ["watch", "--corpus", str(watched.root)])
    assert busy.exit_code == 1 and "another provdiff process" in busy.output
    (watched.state_dir / "watch.json").write_text("{broken", encoding="utf-8")  # derived state, rebuilt
    ok = runner.invoke(app, ["watch", "--corpus", str(watched.root)])
    assert ok.exit_code == 0, ok.output
    assert "2 new" in ok.output


def test_feed_formats() -> None:
    base = "https://news.example/feed"
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/x"/></entry>'
        b'<entry><link rel="self" href="/no"/><link href="https://o.org/y"/></entry></feed>'
    )
    assert feed_links(atom, base) == ["https://news.example/x", "https://o.org/y"]
    json_feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "/j"}]}).encode()
    assert feed_links(json_feed, base) == ["https://news.example/j"]
    wordpress = json.dumps([{"id": 1, "link": "https://news.example/2025/03/w/"}]).encode()
    assert feed_links(wordpress, base) == ["https://news.example/2025/03/w/"]
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><link>&b;</link></item></channel></rss>'
    )
    assert len("".join(feed_links(bomb, base))) < 200  # entities are not expanded
    for broken in (b"not a feed", b"", b"  \n", b"[" * 200_000 + b"]" * 200_000):
        with pytest.raises(ValueError, match="feed"):  # one failure line for that feed, no traceback
            feed_links(broken, base)


def test_bad_settings_are_one_clear_line(corpus: Corpus) -> None:
    settings: Path = corpus.root / "provdiff.toml"
    settings.write_text(settings.read_text() + "\n[[feed]]\nsource = 'x'\n", encoding="utf-8")
    result = runner.invoke(app, ["watch", "--corpus", str(corpus.root)])
    assert result.exit_code == 2
    assert "[[feed]] number 1 needs a url" in result.output


@pytest.mark.parametrize(
    ("added", "says"),
    [
        ("\n[schedule]\nrecheck = [nan]\n", "positive hours"),
        ("\n[schedule]\nrecheck = [-1, 3]\n", "positive hours"),
        ("\nschedule = 5\n", "positive hours"),
        ("\n[schedule]\nsources = 3\n", "positive hours"),
        ("\nfeed = 'https://x.example/feed'\n", "[[feed]] tables"),
    ],
)
def test_settings_of_the_wrong_shape_are_one_line(corpus: Corpus, added: str, says: str) -> None:
    settings: Path = corpus.root / "provdiff.toml"
    settings.write_text(added + settings.read_text(), encoding="utf-8")  # top-level keys first
    result = runner.invoke(app, ["watch", "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and says in result.stderr


@pytest.mark.parametrize("state", ["[]", "null", '{"pages": 3}', "[" * 100_000])
def test_a_damaged_watch_state_starts_afresh(corpus: Corpus, state: str) -> None:
    """``.provdiff/watch.json`` is derived state: damaged, it is started anew, never a traceback."""
    from provdiff.watch import WatchState

    path = corpus.state_dir / "watch.json"
    path.write_text(state, encoding="utf-8")
    assert WatchState.load(path).pages == {}


def test_a_malformed_link_is_one_failure_line(corpus: Corpus) -> None:
    """``http://[::1`` (as a feed may hold) fails that page alone, with a line saying why."""
    settings: Path = corpus.root / "provdiff.toml"
    settings.write_text(
        settings.read_text() + '\n[[page]]\nurl = "http://[::1"\nsource = "x"\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["watch", "--corpus", str(corpus.root)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "http://[::1: not a valid URL" in result.stderr and result.stderr.count("\n") == 1


class _Steering(BaseHTTPRequestHandler):
    """A feed whose items lead to another port of the same machine (an internal service)."""

    target = ""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body, status = b"", 404
        else:
            link = f"<item><title>x</title><link>{type(self).target}/a</link></item>"
            body, status = f"<rss><channel>{link}</channel></rss>".encode(), 200
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        return


def test_a_feed_cannot_steer_watch_to_another_host_unless_listed(corpus: Corpus, site: str) -> None:
    _Steering.target = site  # the story server: another port than the feed's
    feed = QuietServer(("127.0.0.1", 0), _Steering)
    threading.Thread(target=feed.serve_forever, daemon=True).start()
    settings: Path = corpus.root / "provdiff.toml"
    original = settings.read_text()
    url = f"http://127.0.0.1:{feed.server_address[1]}/rss"
    try:
        settings.write_text(original + f'\n[[feed]]\nurl = "{url}"\nsource = "s"\n', encoding="utf-8")
        refused = runner.invoke(app, ["watch", "--corpus", str(corpus.root)])
        assert "leads to another host; not fetched" in refused.stderr
        assert corpus.article_ids() == []
        host = site.removeprefix("http://")
        settings.write_text(
            original + f'\n[[feed]]\nurl = "{url}"\nsource = "s"\nhosts = ["{host}"]\n', encoding="utf-8"
        )
        allowed = runner.invoke(app, ["watch", "--corpus", str(corpus.root)])
        assert allowed.exit_code == 0, allowed.output
        assert len(corpus.article_ids()) == 1
    finally:
        feed.shutdown()
