"""Hostile and broken input, fuzzed: every reader and normalization, on random and mutated seeds.

Whatever the bytes, reading and cleaning either succeed or raise provdiff's own error (one clear line
for the user, never a traceback); what is kept as raw is exactly what came in; and cleaning is
idempotent: the cleaned text, read and cleaned again, comes out the same.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provdiff import api
from provdiff.errors import ProvdiffError
from provdiff.model import Action, BodyKind, Format, Metadata, RawDocument
from provdiff.normalize import normalize
from provdiff.read import ReadOptions, read_bytes
from tests.conftest import SEED_000, SEED_002, SEED_004

SEEDS = [SEED_000.read_bytes(), SEED_002.read_bytes(), SEED_004.read_bytes()]
HTML = (
    b"<!DOCTYPE html><html><head><title>T</title><script>x()</script></head><body><nav>menu</nav>"
    b"<article><h1>Headline here</h1><p>First paragraph of the story, long enough to keep.</p>"
    b"<p>Second paragraph with a figure of $350 billion.</p></article></body></html>"
)
JSONL = (
    b'{"id": "1", "text": "One record body.", "source": "wire"}\n'
    b'{"id": "2", "text": "Two.", "source": "wire"}\n'
)
CORPUS = [*SEEDS, HTML, JSONL]
META = Metadata(source="fuzz")
FORMATS = [None, *Format]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed (or HTML/JSONL sample) truncated, with bytes flipped, inserted or deleted."""
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "nul"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = b"\x00"
    return bytes(data)


def _read_and_clean(data: bytes, fmt: Format | None) -> None:
    try:
        docs = read_bytes(data, "fuzz.txt", ReadOptions(format=fmt), META)
    except ProvdiffError:
        return
    for doc in docs:
        # a container's record keeps its own bytes (a JSON line without its line break; a WARC
        # capture, read as HTML, its payload), whether the format was asked for or detected
        if fmt is not Format.WARC and doc.format is not Format.JSONL and len(docs) == 1:
            assert doc.data == data  # the raw bytes kept are the bytes received
        try:
            article = normalize(doc)
        except ProvdiffError:
            continue
        assert article.paragraphs
        assert all(p and "\n" not in p and p == p.strip() for p in article.paragraphs)
        derived = any(e.kind == "title" and e.action is Action.FLAGGED for e in article.repairs)
        _idempotent(article.paragraphs, None if derived else article.meta.title)


def _idempotent(paragraphs: tuple[str, ...], title: str | None) -> None:
    """Cleaning the cleaned paragraphs again (same title) changes nothing."""
    body = "\n\n".join(paragraphs)
    raw = RawDocument(
        body.encode(), "again", Format.TEXT, body, BodyKind.TEXT, Metadata(source="fuzz", title=title)
    )
    assert normalize(raw).paragraphs == paragraphs


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(), fmt=st.sampled_from(FORMATS))
def test_mutated_seeds_read_or_fail_cleanly(data: bytes, fmt: Format | None) -> None:
    _read_and_clean(data, fmt)


@settings(max_examples=150)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(FORMATS))
def test_random_bytes_read_or_fail_cleanly(data: bytes, fmt: Format | None) -> None:
    _read_and_clean(data, fmt)


@settings(max_examples=100)
@given(text=st.text(max_size=300), fmt=st.sampled_from(FORMATS))
def test_random_text_reads_or_fails_cleanly(text: str, fmt: Format | None) -> None:
    _read_and_clean(text.encode("utf-8", errors="surrogatepass"), fmt)


HOSTILE_NAMES = [
    "../../etc/passwd",
    "/absolute/path",
    "-rf",
    "--upload-pack=touch /tmp/pwned",
    "nul\x00byte",
    "line\nbreak\r\nmore",
    "x" * 5000,
    "ｅｘａｍｐｌｅ",  # fullwidth look-alikes
    "аpple",  # Cyrillic a
    "..",
    "title\n---\nid: forged",
]


@settings(max_examples=40, deadline=None)
@given(
    source=st.sampled_from(HOSTILE_NAMES),
    title=st.sampled_from(HOSTILE_NAMES),
    native=st.sampled_from(HOSTILE_NAMES),
)
def test_hostile_names_stay_inside_the_corpus(
    tmp_path_factory: pytest.TempPathFactory, source: str, title: str, native: str
) -> None:
    """Whatever the source, title and native id, the article lands under articles/ with a plain id,
    the title keeps its words on one line, and git accepts every object written."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = api.init(root / "corpus")
    path = root / "in.txt"
    path.write_text("Headline\n\nA body paragraph that is long enough to be kept.\n", encoding="utf-8")
    meta = Metadata(source=source, title=title, native_id=native)
    try:
        api.ingest(corpus, api.collect_inputs([str(path)], None, meta, Format.TEXT, None))
    except ProvdiffError:
        assert corpus.article_ids() == []
        return
    (article_id,) = corpus.article_ids()
    assert re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", article_id), article_id
    assert len(article_id) < 200
    for file in (corpus.root / "articles").rglob("*"):
        assert file.resolve().is_relative_to((corpus.root / "articles").resolve())
    stored = corpus.load(article_id).meta.title or ""
    assert not any(ord(c) < 32 or ord(c) == 127 for c in stored)  # one line, no control character
    assert stored.split() == "".join(c if ord(c) >= 32 and ord(c) != 127 else " " for c in title).split()
    assert corpus.fsck() == []  # a NUL in a title once reached the commit message
