"""The source audit on the seeds plus planted sources and revisions: exact counts per source."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff import api
from provdiff.audit import SourceAudit
from provdiff.cli import app
from provdiff.model import GroupStatus, Metadata
from provdiff.store import Corpus

runner = CliRunner()
TARIFF = (
    "Seoul and Washington agreed to reduce tariffs on most South Korean goods, including cars, to 15 percent."
)
# A wire story revised three times: a silent figure change, a typographic fix, a correction.
WIRE_V1 = (
    "Port strike ends\n\n"
    "Dockworkers at Busan ended a strike that had halted 40 ships. "
    "The union said members voted to return.\n\n"
    'The port authority called the deal "a relief" for exporters.\n'
)
WIRE_V2 = WIRE_V1.replace("40 ships", "65 ships")
WIRE_V3 = WIRE_V2.replace('"a relief"', "“a relief”")
WIRE_V4 = WIRE_V3.replace("65 ships", "55 ships") + (
    "\nCorrection: an earlier version of this story gave the wrong number of ships.\n"
)


def _ingest(corpus: Corpus, tmp_path: Path, name: str, text: str, meta: Metadata) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    api.ingest(corpus, api.collect_inputs([str(path)], None, meta, None, None))


@pytest.fixture
def audited(sample_corpus: Corpus, tmp_path: Path) -> Corpus:
    """Seeds, a planted conflicting copy, a third source agreeing with the seed, a revised wire story.

    The planted copies are dated after the seeds' ingest (002 has no date: it counts from ingest time).
    """
    planted = "Tariff deal\n\n" + TARIFF.replace("15 percent", "20 percent") + " Markets rallied.\n"
    _ingest(
        sample_corpus,
        tmp_path,
        "planted.txt",
        planted,
        Metadata(source="planted-wire", published="2030-09-01"),
    )
    echo = "Tariff deal repeated\n\n" + TARIFF + " Traders shrugged.\n"
    _ingest(sample_corpus, tmp_path, "echo.txt", echo, Metadata(source="echo-daily", published="2030-09-02"))
    published = "2025-03-01T00:00:00Z"
    for text, modified in (
        (WIRE_V1, None),
        (WIRE_V2, "2025-03-01T06:00:00Z"),
        (WIRE_V3, "2025-03-01T09:00:00Z"),
        (WIRE_V4, "2025-03-02T00:00:00Z"),
    ):
        meta = Metadata(source="wire", published=published, modified=modified)
        _ingest(sample_corpus, tmp_path, "port.txt", text, meta)
    return sample_corpus


def _rows(corpus: Corpus, **options: object) -> dict[str, SourceAudit]:
    with api.open_claims_index(corpus) as index:
        return {row.source: row for row in api.audit(corpus, index, api.AuditOptions(**options))}  # type: ignore[arg-type]


def test_hygiene_counts_come_from_the_ingest_repairs(sample_corpus: Corpus) -> None:
    rows = _rows(sample_corpus)
    blog, plain_copy, koreapro = rows["roushan-kumar-blog"], rows["unattributed-002"], rows["koreapro"]
    # 000: SEO duplicates (4 exact + 2 near), 4 boilerplate lines, 33 mojibake runs, no date
    assert (blog.duplicates, blog.boilerplate, blog.encoding, blog.missing_dates) == (6, 4, 33, 1)
    assert (blog.salvaged, blog.date_inconsistent) == (0, 0)
    assert (plain_copy.duplicates, plain_copy.boilerplate, plain_copy.encoding, plain_copy.missing_dates) == (
        0,
        0,
        0,
        1,
    )
    # 004: truncated JSON salvaged, modified before published, dated
    assert (koreapro.salvaged, koreapro.date_inconsistent, koreapro.missing_dates, koreapro.encoding) == (
        1,
        1,
        0,
        0,
    )
    assert [row.articles for row in rows.values()] == [1, 1, 1]


def test_claim_counts_agree_with_the_claim_groups(sample_corpus: Corpus) -> None:
    """An oracle: count each source's claims by group status straight from ``claim_groups``."""
    rows = _rows(sample_corpus)
    with api.open_claims_index(sample_corpus) as index:
        groups = api.claim_groups(index)
    for source, row in rows.items():
        mine = [(c, g) for g in groups for c in g.claims if c.source == source]
        assert row.claims == len(mine)
        assert row.corroborated == sum(g.status is GroupStatus.RECURS for _, g in mine)
        assert row.exclusive == sum(g.status is GroupStatus.UNIQUE for _, g in mine)
        assert row.corroborated + row.exclusive + row.varies == row.claims
    # the two seeds that share the $350 billion and $100 billion claims corroborate each other
    assert rows["roushan-kumar-blog"].corroborated >= 2
    assert rows["unattributed-002"].corroborated >= 2
    assert rows["koreapro"].exclusive >= 1  # the Munich Security Conference sentence


def test_conflicts_copies_and_the_majority(audited: Corpus) -> None:
    rows = _rows(audited)
    planted, echo, seed = rows["planted-wire"], rows["echo-daily"], rows["unattributed-002"]
    # 15% (002, echo) against 20% (planted): three sources state the figure, two agree
    assert (planted.conflicts, planted.against_majority) == (1, 1)
    assert (seed.conflicts, seed.against_majority) == (1, 0)
    assert echo.against_majority == 0
    # both planted articles are one paragraph whose first sentence copies 002 and second is their own
    assert (planted.paragraphs, planted.copied_paragraphs) == (1, 1)
    assert (echo.paragraphs, echo.copied_paragraphs) == (1, 1)
    assert (planted.claims, planted.exclusive) == (2, 1)  # "Markets rallied." is theirs alone
    assert (echo.claims, echo.exclusive) == (2, 1)
    assert seed.copied_paragraphs == 0  # the original is not a copy of its copies


def test_revisions_silent_cosmetic_and_corrected_edits(audited: Corpus) -> None:
    wire = _rows(audited)["wire"]
    assert (wire.articles, wire.revised_articles, wire.edits) == (1, 1, 3)
    assert (wire.substantive, wire.cosmetic, wire.silent) == (2, 1, 1)
    assert wire.median_hours_to_first_edit == pytest.approx(6.0)
    assert (wire.reextractions, wire.metadata_revisions) == (0, 0)
    silent = [e for e in wire.evidence if e.metric == "silent"]
    assert [(e.ref.split("@")[1], e.detail) for e in silent] == [("2", "figures changed: 40 -> 65")]
    assert wire.claims == 4  # the current revision: 2 + 1 + 1 sentences


def test_metadata_only_revision_is_not_an_edit(sample_corpus: Corpus, tmp_path: Path) -> None:
    _ingest(sample_corpus, tmp_path, "port.txt", WIRE_V1, Metadata(source="wire", published="2025-03-01"))
    _ingest(sample_corpus, tmp_path, "port.txt", WIRE_V1, Metadata(source="wire", published="2025-03-02"))
    wire = _rows(sample_corpus)["wire"]
    assert (wire.edits, wire.metadata_revisions, wire.revised_articles) == (0, 1, 0)


def test_since_and_source_narrow_the_rows(audited: Corpus) -> None:
    rows = _rows(audited, since="2030-01-01")
    assert sorted(rows) == ["echo-daily", "planted-wire"]  # the seeds and wire are older or undated
    assert list(_rows(audited, source="wire")) == ["wire"]


def test_small_sample_is_said(audited: Corpus) -> None:
    wire = _rows(audited)["wire"]
    assert wire.small_samples(20) == [
        "claim rates rest on 4 claims",
        "originality rests on 3 paragraphs",
        "silent share rests on 2 substantive edits",
    ]
    assert wire.small_samples(2) == []


def test_cli_formats(audited: Corpus) -> None:
    base = ["audit", "--corpus", str(audited.root)]
    terminal = runner.invoke(app, base)
    assert terminal.exit_code == 0, terminal.output
    assert "not verdicts" in terminal.output
    for word in ("unreliable", "reliable", "untrustworthy"):
        assert word not in terminal.output.lower()
    table = list(csv.DictReader(io.StringIO(runner.invoke(app, [*base, "-f", "csv"]).output)))
    wire = next(row for row in table if row["source"] == "wire")
    assert (wire["edits"], wire["silent"], wire["silent_share"]) == ("3", "1", "0.5000")
    document = json.loads(runner.invoke(app, [*base, "-f", "json"]).output)
    assert document["schema"] == "provdiff.audit/1"
    assert {row["source"] for row in document["sources"]} == {
        "koreapro",
        "roushan-kumar-blog",
        "unattributed-002",
        "planted-wire",
        "echo-daily",
        "wire",
    }
    markdown = runner.invoke(app, [*base, "-f", "markdown", "--explain", "wire"]).output
    assert "### Evidence for wire" in markdown
    assert "figures changed: 40 -> 65" in markdown
    explained = list(
        csv.reader(io.StringIO(runner.invoke(app, [*base, "-f", "csv", "--explain", "wire"]).output))
    )
    assert explained[0] == ["source", "metric", "ref", "detail"]
    assert [row[1] for row in explained[1:] if row[1] == "silent"] == ["silent"]


def test_cli_errors(audited: Corpus) -> None:
    base = ["audit", "--corpus", str(audited.root)]
    unknown = runner.invoke(app, [*base, "--explain", "nobody"])
    assert unknown.exit_code == 2  # a filter naming nothing the corpus holds is a usage error
    assert "no source 'nobody'" in unknown.output
    bad_date = runner.invoke(app, [*base, "--since", "last tuesday"])
    assert bad_date.exit_code == 2
    assert "not a date" in bad_date.output
