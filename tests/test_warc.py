"""Web archives: a WARC written here with warcio's own writer, three captures of one page and noise."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from provdiff.cli import app
from provdiff.model import RevisionKind
from provdiff.store import Corpus

runner = CliRunner()
URL = "https://news.example/2025/03/port-strike"
CAPTURES = [  # (WARC-Date, figure): written out of order on purpose
    ("2025-03-01T12:00:00Z", "65"),
    ("2025-03-01T08:00:00Z", "40"),
    ("2025-03-02T09:30:00Z", "55"),
]


def _page(ships: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><title>Port strike ends</title></head><body><nav>Home | World</nav>"
        "<article><h1>Port strike ends</h1>"
        f"<p>Dockworkers at Busan ended a strike that had halted {ships} ships, the union said on Monday.</p>"
        "<p>The port authority called the deal a relief for exporters and shipping lines.</p>"
        "</article><footer>Contact us</footer></body></html>"
    ).encode()


def _warc(path: Path, *, gzip: bool) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for date, ships in CAPTURES:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            URL,
            "response",
            payload=io.BytesIO(_page(ships)),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(record)
    missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            URL + "/gone", "response", payload=io.BytesIO(b"<p>gone</p>"), http_headers=missing
        )
    )
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            URL + ".png", "response", payload=io.BytesIO(b"\x89PNG..."), http_headers=image
        )
    )
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("gzip", [False, True])
def test_three_captures_become_three_revisions_at_their_capture_times(
    corpus: Corpus, tmp_path: Path, gzip: bool
) -> None:
    archive = _warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip=gzip)
    result = runner.invoke(app, ["ingest", "--corpus", str(corpus.root), "--source", "news", str(archive)])
    assert result.exit_code == 0, result.output
    (article_id,) = corpus.article_ids()
    revisions = corpus.revisions(article_id)
    assert [r.kind for r in revisions] == [RevisionKind.FIRST, RevisionKind.UPDATE, RevisionKind.UPDATE]
    assert [r.committed_at[:19] for r in revisions] == [
        "2025-03-01T08:00:00",
        "2025-03-01T12:00:00",
        "2025-03-02T09:30:00",
    ]
    figures = [corpus.load(article_id, r.commit).paragraphs[0].split("halted ")[1][:2] for r in revisions]
    assert figures == ["40", "65", "55"]  # capture order, not file order
    latest = corpus.load(article_id)
    assert latest.meta.url == URL
    assert latest.captured_at is not None and latest.captured_at.startswith("2025-03-02T09:30")
    assert b"halted 55 ships" in latest.raw  # the capture's own body is the raw bytes kept
    assert any(
        e.kind == "warc" and "2 non-HTML or non-200" in e.detail
        for e in corpus.load(article_id, revisions[0].commit).repairs
    )
    log = subprocess.run(
        ["git", "log", "--format=%cI %s", "--", "articles"],
        cwd=corpus.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert log.stdout.splitlines()[0].startswith("2025-03-02T09:30:00")


def test_an_archive_without_html_pages_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(URL, "response", payload=io.BytesIO(b"\x89PNG"), http_headers=image)
    )
    archive = tmp_path / "images.warc"
    archive.write_bytes(buffer.getvalue())
    head = corpus.head()
    result = runner.invoke(app, ["ingest", "--corpus", str(corpus.root), "--source", "news", str(archive)])
    assert result.exit_code == 1
    assert "no HTML page captured with status 200" in result.output
    assert corpus.head() == head
