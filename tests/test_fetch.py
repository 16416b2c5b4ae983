"""provdiff fetch against a real HTTP server on 127.0.0.1 (no other address is ever contacted)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.model import RevisionKind
from provdiff.store import Corpus
from tests.conftest import QuietServer

runner = CliRunner()


class _Site(BaseHTTPRequestHandler):
    """A small news site: a page that changes on demand, a redirect, errors, a slow and a huge page."""

    ships = "40"

    def do_GET(self) -> None:
        routes = {
            "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
            "/story": (200, "text/html; charset=utf-8", self._page(self.ships)),
            "/private/story": (200, "text/html", self._page("99")),
            "/latin1": (
                200,
                "text/html; charset=iso-8859-1",
                self._page("12").replace(b"Port", "Pórt".encode("latin-1")),
            ),
            "/meta1252": (
                200,
                "text/html",
                b'<html><head><meta charset="windows-1252"></head>'
                + self._page("3").split(b"<head>", 1)[1].replace(b"Port", "P\u00f6rt".encode("cp1252")),
            ),
            "/gone": (404, "text/html", b"<p>not here</p>"),
            "/broken": (500, "text/html", b"<p>oops</p>"),
            "/logo.png": (200, "image/png", b"\x89PNG\r\n"),
            "/huge": (200, "text/html", b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>"),
        }
        if self.path == "/old-story":
            self.send_response(301)
            self.send_header("Location", "/story")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        status, kind, body = routes.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", f'"v-{self.ships}"')
        self.send_header("Last-Modified", "Mon, 03 Mar 2025 08:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def _page(ships: str) -> bytes:
        return (
            "<!DOCTYPE html><html><head><title>Port strike ends</title></head><body><nav>Home</nav><article>"
            f"<h1>Port strike ends</h1><p>Dockworkers at Busan ended a strike that had halted {ships} ships, "
            "the union said on Monday.</p><p>The port authority called the deal a relief for exporters.</p>"
            "</article></body></html>"
        ).encode()

    def log_message(self, *_: object) -> None:
        return


@contextlib.contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` on a loopback port for the block; its base URL."""
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture
def site() -> Iterator[str]:
    _Site.ships = "40"
    with _serving(_Site) as url:
        yield url


def _fetch(corpus: Corpus, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["fetch", "--corpus", str(corpus.root), "--source", "port-news", *args])
    return result.exit_code, result.output


def test_pages_land_as_articles_then_revisions_with_http_facts(corpus: Corpus, site: str) -> None:
    code, out = _fetch(corpus, f"{site}/story")
    assert code == 0, out
    (article_id,) = corpus.article_ids()
    record = corpus.load(article_id)
    assert record.meta.url == f"{site}/story"
    facts = dict(record.http)
    assert (facts["status"], facts["etag"], facts["last-modified"]) == (
        "200",
        '"v-40"',
        "Mon, 03 Mar 2025 08:00:00 GMT",
    )
    assert record.captured_at is not None
    assert b"halted 40 ships" in record.raw  # the response body is the raw bytes kept
    code, out = _fetch(corpus, f"{site}/story")
    assert code == 0 and "no commit (nothing new)" in out  # unchanged page: no commit
    _Site.ships = "65"
    code, out = _fetch(corpus, f"{site}/old-story")  # through a redirect, to the same article
    assert code == 0, out
    revisions = corpus.revisions(article_id)
    assert [r.kind for r in revisions] == [RevisionKind.FIRST, RevisionKind.UPDATE]
    latest = corpus.load(article_id)
    assert "65 ships" in latest.paragraphs[0]
    assert dict(latest.http)["requested"] == f"{site}/old-story"


def test_failures_are_one_line_each_and_the_rest_goes_on(corpus: Corpus, site: str) -> None:
    head = corpus.head()
    code, out = _fetch(
        corpus,
        "--timeout",
        "0.5",
        "--max-bytes",
        "500000",
        f"{site}/gone",
        f"{site}/broken",
        f"{site}/logo.png",
        f"{site}/slow",
        f"{site}/huge",
        f"{site}/private/story",
        "ftp://127.0.0.1/x",
        f"{site}/story",
    )
    assert code == 1
    failed = [line for line in out.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 7
    for fragment in (
        "HTTP 404",
        "HTTP 500",
        "not a web page (image/png)",
        "no answer within 0.5 s",
        "over the 500,000-byte limit",
        "robots.txt disallows",
        "not an http(s) URL",
    ):
        assert any(fragment in line for line in failed), fragment
    assert "1 added" in out
    assert corpus.head() != head and len(corpus.article_ids()) == 1


def test_robots_can_be_ignored_and_declared_charsets_are_used(corpus: Corpus, site: str) -> None:
    code, out = _fetch(
        corpus, "--ignore-robots", f"{site}/private/story", f"{site}/latin1", f"{site}/meta1252"
    )
    assert code == 0, out
    titles = sorted(corpus.load(a).meta.title or "" for a in corpus.article_ids())
    assert titles == ["Port strike ends", "Pórt strike ends", "Pört strike ends"]

    def declared(name: str) -> list[str]:
        article = next(a for a in corpus.article_ids() if (corpus.load(a).meta.url or "").endswith(name))
        return [e.detail for e in corpus.load(article).repairs if e.kind == "encoding"]

    assert declared("/latin1") == ["decoded as iso-8859-1, as the source declared"]  # from the header
    assert declared("/meta1252") == ["decoded as windows-1252, as the source declared"]  # from <meta>
    latin = next(a for a in corpus.article_ids() if "latin1" in (corpus.load(a).meta.url or ""))
    shown = runner.invoke(app, ["show", "--corpus", str(corpus.root), "-f", "json", latin])
    assert json.loads(shown.stdout)["url"].endswith("/latin1")


class _Drip(BaseHTTPRequestHandler):
    """A server that sends a page a few bytes at a time, forever slower than any read timeout's
    reach, and a robots.txt far past any size limit (gzip bombs decompress to the same)."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"User-agent: *\nDisallow: /secret\n")
            with contextlib.suppress(OSError):
                for _ in range(40_000):  # 40 MB of comments: read only up to the limit
                    self.wfile.write(b"# " + b"x" * 1000 + b"\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(60):  # two bytes every 0.1 s: each read is quick, the whole takes 6 s
                self.wfile.write(b"<p")
                self.wfile.flush()
                time.sleep(0.1)

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def drip() -> Iterator[str]:
    with _serving(_Drip) as url:
        yield url


def test_a_dripping_server_is_bounded_by_the_timeout_in_all(corpus: Corpus, drip: str) -> None:
    start = time.monotonic()
    code, out = _fetch(corpus, "--timeout", "1", "--max-bytes", "100000", f"{drip}/story")
    elapsed = time.monotonic() - start
    assert code == 1 and "sends too slowly" in out
    assert elapsed < 1 + 1.5, elapsed  # the timeout plus a little, not the 6 s the page takes
    assert corpus.article_ids() == []


def test_robots_txt_is_read_within_the_limits(corpus: Corpus, drip: str) -> None:
    """A robots.txt of 40 MB is read to its first 512 KiB (or --max-bytes): its rules still apply."""
    start = time.monotonic()
    code, out = _fetch(corpus, "--max-bytes", "100000", f"{drip}/secret")
    assert code == 1 and "robots.txt disallows" in out
    assert time.monotonic() - start < 10


def test_an_unreachable_host_is_named_as_such(corpus: Corpus) -> None:
    """A closed port is not "robots.txt disallows": the line says the robots.txt could not be read."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the block ends
    code, out = _fetch(corpus, f"http://127.0.0.1:{port}/story")
    assert code == 1 and f"cannot read the robots.txt of 127.0.0.1:{port}" in out


class _DripRobots(_Drip):
    """The same dripping answer, for robots.txt too."""

    def do_GET(self) -> None:
        self.path = "/story"  # every path drips, robots.txt included
        super().do_GET()


def test_a_dripping_robots_txt_is_bounded_too(corpus: Corpus) -> None:
    with _serving(_DripRobots) as url:
        start = time.monotonic()
        code, out = _fetch(corpus, "--timeout", "1", f"{url}/story")
        elapsed = time.monotonic() - start
    assert code == 1 and "cannot read the robots.txt" in out and "no whole answer within 1 s" in out
    assert elapsed < 2.5, elapsed
