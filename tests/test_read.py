"""The read stage: format detection, each reader on real inputs, salvage, and refusal of bad input."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff.errors import BinaryInputError, EmptyInputError, OversizeInputError, ParseError
from provdiff.model import Action, BodyKind, Format, Metadata
from provdiff.normalize.blocks import html_blocks
from provdiff.read import ReadOptions, detect_format, iter_file, lenient_json, read_bytes, read_file
from tests.conftest import SEED_000, SEED_002, SEED_004

PAGE = """<!DOCTYPE html>
<html><head><title>Harbour reopens | Daily Tide</title>
<link rel="canonical" href="https://tide.example/news/harbour-reopens">
<meta property="og:title" content="Harbour reopens after storm">
<meta property="article:published_time" content="2025-03-01T09:30:00+01:00">
<style>p { color: red }</style><script>window.track = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Saturday after three days of closure, the port authority said in a statement.</p>
<p>Repairs to the northern pier will cost 2.5 million euros and take six weeks, officials estimated.</p>
<p>Fishing crews returned to sea at dawn, and ferries resumed their usual timetable by the afternoon.</p>
</article>
<div id="comments"><h3>Leave a Reply</h3><form><textarea></textarea><button>Post Comment</button></form></div>
<footer>Copyright Daily Tide</footer></body></html>
"""


def test_detects_each_seed_format() -> None:
    assert detect_format(SEED_000.read_text(encoding="utf-8")) is Format.TEXT
    assert detect_format(SEED_002.read_text(encoding="utf-8")) is Format.TEXT
    assert detect_format(SEED_004.read_text(encoding="utf-8")) is Format.WORDPRESS
    assert detect_format(PAGE) is Format.HTML
    assert detect_format("# Headline\n\nBody with a [link](https://x.example).") is Format.MARKDOWN
    assert detect_format('{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n') is Format.JSONL


def test_plain_text_first_line_is_title_only_when_it_reads_as_one() -> None:
    (doc,) = read_file(SEED_000)
    assert doc.meta.title is not None
    assert doc.meta.title.startswith("South Korea Strategic Pivot: What Lee")
    (lede,) = read_file(SEED_002)
    assert lede.meta.title is None  # a 300-character sentence is the lede, not a headline
    assert lede.body.startswith("South Korean President Lee Jae Myung held")


def test_truncated_wordpress_post_is_salvaged() -> None:
    (doc,) = read_file(SEED_004)
    assert doc.format is Format.WORDPRESS
    assert doc.body_kind is BodyKind.HTML_FRAGMENT
    assert doc.meta.title == "US and South Korea reaffirm alliance as trade and security tensions mount"
    assert doc.meta.published == "2025-02-16T23:00:33Z"
    assert doc.meta.modified == "2025-02-16T13:00:32Z"
    assert doc.meta.url == (
        "https://koreapro.org/2025/02/us-and-south-korea-reaffirm-alliance-as-trade-and-security-tensions-mount/"
    )
    assert doc.meta.slug == "us-and-south-korea-reaffirm-alliance-as-trade-and-security-tensions-mount"
    assert doc.meta.native_id == "2208400"
    assert [e.kind for e in doc.events] == ["salvage"]
    assert doc.events[0].action is Action.FLAGGED
    blocks = html_blocks(doc.body)
    assert len(blocks) == 5
    assert blocks[2] == "WHY IT MATTERS"
    assert doc.data == SEED_004.read_bytes()  # raw bytes untouched
    with pytest.raises(json.JSONDecodeError):
        json.loads(SEED_004.read_text(encoding="utf-8"), strict=False)


def test_html_page_metadata_from_head() -> None:
    (doc,) = read_bytes(PAGE.encode(), "page.html")
    assert doc.body_kind is BodyKind.HTML_PAGE
    assert doc.meta.url == "https://tide.example/news/harbour-reopens"
    assert doc.meta.title == "Harbour reopens after storm"
    assert doc.meta.published == "2025-03-01"


def test_markdown_front_matter_headline_and_inline_markup() -> None:
    text = (
        "---\ntitle: Front title\nurl: https://md.example/a\ndate: 2025-01-02\n---\n"
        "# Headline\n\nThe *council* approved [the plan](https://x.example) on Monday.\n\nSecond para.\n"
    )
    (doc,) = read_bytes(text.encode(), "a.md")
    assert doc.format is Format.MARKDOWN
    assert doc.meta.title == "Front title"
    assert doc.meta.url == "https://md.example/a"
    assert doc.meta.published == "2025-01-02"
    assert html_blocks(doc.body) == ["The council approved the plan on Monday.", "Second para."]


def test_jsonl_records_keep_their_own_line_bytes() -> None:
    lines = [
        {"id": "a1", "text": "First story text.", "source": "wire", "date": "2025-01-01T10:00:00Z"},
        {"id": "a2", "content": "<p>Second</p><p>story</p>", "source": "wire", "url": "https://w.example/2"},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode() + b"\n\n"
    docs = read_bytes(data, "feed.jsonl")
    assert [d.meta.native_id for d in docs] == ["a1", "a2"]
    assert docs[0].origin == "feed.jsonl:1"
    assert docs[0].meta.published == "2025-01-01T10:00:00Z"
    assert docs[0].body_kind is BodyKind.TEXT
    assert docs[1].body_kind is BodyKind.HTML_FRAGMENT
    assert docs[1].data == json.dumps(lines[1]).encode()


def test_jsonl_bad_line_names_its_number() -> None:
    data = b'{"id": 1, "text": "ok"}\n{"id": 2, "text": \n'
    with pytest.raises(ParseError, match=r"feed\.jsonl:2"):
        read_bytes(data, "feed.jsonl", ReadOptions(format=Format.JSONL))


def test_user_metadata_overrides_found_metadata() -> None:
    (doc,) = read_file(SEED_004, meta=Metadata(source="kp", title="Given title"))
    assert doc.meta.source == "kp"
    assert doc.meta.title == "Given title"
    assert doc.meta.native_id == "2208400"


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", EmptyInputError, "empty"),
        (b"  \n\t\n", EmptyInputError, "empty"),
        (b"%PDF-1.7\n...", BinaryInputError, "PDF"),
        (b"\x1f\x8b\x08\x00rest", BinaryInputError, "gzip"),
        (b"text\x00with\x00nuls", BinaryInputError, "NUL"),
        (bytes(range(1, 9)) * 20, BinaryInputError, "binary"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(
    data: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        read_bytes(data, "bad.txt")
    assert "bad.txt" in str(caught.value)


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    with pytest.raises(OversizeInputError, match=r"big\.txt: 5,000 bytes is over the 100-byte limit"):
        read_file(big, ReadOptions(max_bytes=100))


def test_legacy_encoding_is_decoded_and_recorded() -> None:
    text = "Le café a ouvert ses portes à Montréal. « Très bien », dit-elle à l'équipe."
    (doc,) = read_bytes(("Titre\n\n" + text * 3).encode("cp1252"), "fr.txt")
    assert text in doc.body
    assert any(e.kind == "encoding" for e in doc.events)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_lenient_json_agrees_with_json_on_whole_documents(value: object) -> None:
    parsed = lenient_json.parse(json.dumps(value))
    assert parsed.complete
    assert parsed.value == value


@given(json_values.filter(lambda v: isinstance(v, (dict, list))), st.data())
def test_lenient_json_never_fails_on_a_truncated_document(value: object, data: st.DataObject) -> None:
    text = json.dumps(value)
    cut = data.draw(st.integers(min_value=1, max_value=max(1, len(text) - 1)))
    parsed = lenient_json.parse(text[:cut])
    assert isinstance(parsed.value, type(value))
    if cut < len(text):
        assert not parsed.complete or json.loads(text[:cut]) == parsed.value


RECORDS = st.lists(
    st.fixed_dictionaries(
        {"id": st.text("ab12", min_size=1, max_size=4), "text": st.text(min_size=1, max_size=40)},
        optional={"source": st.sampled_from(["wire", "daily"]), "date": st.just("2025-01-02")},
    ),
    min_size=1,
    max_size=6,
)


@given(records=RECORDS, blank=st.booleans())
def test_a_jsonl_file_streams_the_records_reading_it_whole_gives(
    records: list[dict[str, str]], blank: bool
) -> None:
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    if blank:
        lines.insert(1, "")
    data = ("\n".join(lines) + "\n").encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_bytes(data)
        try:
            whole = read_bytes(data, str(path), ReadOptions(format=Format.JSONL))
        except ParseError as error:  # a record without text: the stream must fail on the same line
            with pytest.raises(ParseError, match=re.escape(str(error).split(": ")[0] + ":")):
                list(iter_file(path))
            return
        assert list(iter_file(path)) == whole


def test_a_jsonl_file_over_the_limit_streams_when_every_record_is_under_it(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    records = [{"id": str(n), "text": f"Story {n} says the port moved {n} boxes."} for n in range(50)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    limit = max(len(json.dumps(r)) + 1 for r in records)
    assert path.stat().st_size > 20 * limit
    docs = list(iter_file(path, ReadOptions(max_bytes=limit)))
    assert [d.meta.native_id for d in docs] == [str(n) for n in range(50)]
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "big", "text": "word " * limit}) + "\n")
    with pytest.raises(OversizeInputError, match=r"batch\.jsonl:51: record over the"):
        list(iter_file(path, ReadOptions(max_bytes=limit)))


@pytest.mark.parametrize(
    ("data", "reader"),
    [
        (
            b'{"id": "1", "text": "x"}\n{"id": ' + b"9" * 5000 + b', "text": "The port reopened."}\n',
            Format.JSONL,
        ),
        (b'{"id": "1", "text": "' + b"[" * 50_000 + b'"}\n' + b"[" * 50_000 + b"\n", Format.JSONL),
        (b"[" * 50_000 + b"]" * 50_000, Format.WORDPRESS),
        (b"WARC/1.0\r\nWARC-Type: response\r\n", Format.WARC),
        (b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200", Format.WARC),
    ],
)
def test_inputs_that_crashed_the_readers_are_one_error(data: bytes, reader: Format) -> None:
    """Signatures the red-team's fuzzing found (a 5,000-digit JSON number, JSON nested 50k deep,
    a WARC cut short): each reader either reads them or raises provdiff's own error."""
    from provdiff.errors import ProvdiffError
    from provdiff.read import ReadOptions

    failure: ProvdiffError | None = None
    try:
        read_bytes(data, "fuzzed", ReadOptions(format=reader))
    except ProvdiffError as exc:
        failure = exc
    assert failure is None or str(failure).startswith("fuzzed")  # it names the input


def test_a_lone_surrogate_in_a_json_record_is_replaced_not_fatal() -> None:
    """``"\\ud800"`` decodes to no character UTF-8 can write: it becomes U+FFFD at cleaning."""
    from provdiff.normalize import normalize

    line = b'{"id": "1", "source": "s", "text": "The port \\\\ud800 reopened on Monday after repairs."}\n'
    (document,) = read_bytes(line.replace(b"\\\\", b"\\"), "wire.jsonl")
    article = normalize(document)
    assert "\ufffd" in article.paragraphs[0]
    article.paragraphs[0].encode("utf-8")  # writable
