"""Claims across the corpus: groups, status, copies, conflicts, provenance, blame, the index."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff import api
from provdiff.claims.options import EVIDENCE
from provdiff.cli import app
from provdiff.index import FILE_NAME
from provdiff.model import ClaimGroup, GroupStatus, Metadata
from provdiff.store import Corpus

runner = CliRunner()
TARIFF = (
    "Seoul and Washington agreed to reduce tariffs on most South Korean goods, including cars, to 15 percent."
)
STOPOVER = "Before arriving in Washington, Lee met Japanese Prime Minister Shigeru Ishiba in Tokyo."


def _ingest(corpus: Corpus, tmp_path: Path, name: str, text: str, source: str, published: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    items = api.collect_inputs([str(path)], None, Metadata(source=source, published=published), None, None)
    api.ingest(corpus, items)


def _groups(corpus: Corpus) -> list[ClaimGroup]:
    with api.open_claims_index(corpus) as index:
        return api.claim_groups(index)


def _group_of(groups: list[ClaimGroup], fragment: str, source: str | None = None) -> ClaimGroup:
    for group in groups:
        for claim in group.claims:
            if fragment in claim.text and (source is None or claim.source == source):
                return group
    raise AssertionError(f"no claim with {fragment!r}")


def test_seed_claims_recur_or_stay_unique(sample_corpus: Corpus) -> None:
    groups = _groups(sample_corpus)
    investment = _group_of(groups, "pledged $350 billion")
    assert investment.status is GroupStatus.RECURS
    assert any("$350 billion in U.S. projects" in c.text for c in (*investment.claims, *investment.also))
    lng = _group_of(groups, "$100 billion worth of US liquefied natural gas")
    assert lng.status is GroupStatus.RECURS
    assert any("$100 billion in American energy purchases" in c.text for c in (*lng.claims, *lng.also))
    # the sentence of 000 that states both facts is a witness of each, and fuses neither into the other
    assert investment.group_id != lng.group_id
    assert {"roushan-kumar-blog", "unattributed-002"} <= set(lng.independent_sources)
    for fragment in ("15 percent", "in Tokyo"):
        group = _group_of(groups, fragment)
        assert group.status is GroupStatus.UNIQUE
        assert group.sources == ("unattributed-002",)
    munich = _group_of(groups, "Munich Security Conference")
    assert (munich.status, munich.sources) == (GroupStatus.UNIQUE, ("koreapro",))


def test_changed_figure_in_a_copy_is_a_conflict(sample_corpus: Corpus, tmp_path: Path) -> None:
    planted = "Tariff deal\n\n" + TARIFF.replace("15 percent", "20 percent") + " Markets rallied.\n"
    _ingest(sample_corpus, tmp_path, "planted.txt", planted, "planted-wire", "2025-09-01")
    group = _group_of(_groups(sample_corpus), "agreed to reduce tariffs")
    assert group.status is GroupStatus.VARIES
    # the earlier claim first: 002 has no published date, so its ingest time (today) is its "when"
    assert group.conflicts == ("20% (planted-wire) vs 15% (unattributed-002)",)
    assert set(group.sources) == {"unattributed-002", "planted-wire"}


def test_verbatim_copy_is_not_a_second_witness(sample_corpus: Corpus, tmp_path: Path) -> None:
    copy = f"Copied story\n\n{STOPOVER} Officials did not comment further on the visit.\n"
    _ingest(sample_corpus, tmp_path, "copy.txt", copy, "copycat", "2030-01-01")
    group = _group_of(_groups(sample_corpus), "Shigeru Ishiba in Tokyo")
    assert group.status is GroupStatus.UNIQUE
    assert group.independent_sources == ("unattributed-002",)
    assert group.sources == ("unattributed-002", "copycat")  # first appearance first
    assert [c.split("@")[0].split("/")[0] for c in group.copies] == ["copycat"]


def test_provenance_orders_by_published_date(sample_corpus: Corpus, tmp_path: Path) -> None:
    early = f"Earlier story\n\n{STOPOVER}\n"
    _ingest(sample_corpus, tmp_path, "early.txt", early, "early-bird", "2025-08-20")
    group = _group_of(_groups(sample_corpus), "Shigeru Ishiba in Tokyo")
    assert group.claims[0].source == "early-bird"
    assert group.claims[0].when == "2025-08-20"
    assert group.independent_sources == ("early-bird",)


def test_blame_points_to_first_appearance(sample_corpus: Corpus, tmp_path: Path) -> None:
    copy = f"Copied story\n\n{STOPOVER} Officials did not comment further on the visit.\n"
    _ingest(sample_corpus, tmp_path, "copy.txt", copy, "copycat", "2030-01-01")
    with api.open_claims_index(sample_corpus) as index:
        _, revision, lines = api.blame(sample_corpus, index, api.parse_ref("copycat"))
    assert revision.number == 1
    first, second = lines
    assert first.first is not None
    assert first.first.source == "unattributed-002"
    assert first.relation == "verbatim"
    assert not first.dated  # 002 has no published date: its "when" is its ingest time, and says so
    assert second.first is None
    assert second.introduced == 1


def test_blame_revision_introducing_a_sentence(corpus: Corpus, tmp_path: Path) -> None:
    _ingest(corpus, tmp_path, "a.txt", "Story\n\nThe port closed on Friday.\n", "tide", "2025-01-01")
    _ingest(
        corpus,
        tmp_path,
        "a.txt",
        "Story\n\nThe port closed on Friday. It reopened Monday.\n",
        "tide",
        "2025-01-01",
    )
    result = runner.invoke(app, ["blame", "--corpus", str(corpus.root), "a", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema"] == "provdiff.blame/1"
    assert [s["introduced_in"] for s in document["sentences"]] == [1, 2]
    assert [s["first"] for s in document["sentences"]] == [None, None]


def test_incremental_index_matches_a_rebuild(sample_corpus: Corpus, tmp_path: Path) -> None:
    with api.open_claims_index(sample_corpus) as index:
        before = index.indexed_head()
    planted = "Tariff deal\n\n" + TARIFF.replace("15 percent", "20 percent") + "\n"
    _ingest(sample_corpus, tmp_path, "planted.txt", planted, "planted-wire", "2025-09-01")
    with api.open_claims_index(sample_corpus) as index:
        assert index.indexed_head() == sample_corpus.head() != before
        incremental = sorted((g.status, tuple(c.claim_id for c in g.claims)) for g in api.claim_groups(index))
    with api.open_claims_index(sample_corpus, rebuild=True) as index:
        rebuilt = sorted((g.status, tuple(c.claim_id for c in g.claims)) for g in api.claim_groups(index))
    assert incremental == rebuilt


@pytest.mark.parametrize("damage", ["delete", "garbage", "stale"])
def test_damaged_or_stale_index_is_rebuilt(sample_corpus: Corpus, damage: str) -> None:
    path = sample_corpus.state_dir / FILE_NAME
    expected = len(_groups(sample_corpus))
    if damage == "delete":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        with api.open_claims_index(sample_corpus) as index:
            index.set_head("0" * 40)
    assert len(_groups(sample_corpus)) == expected


def test_cli_claims_filters_and_report(sample_corpus: Corpus, tmp_path: Path) -> None:
    root = str(sample_corpus.root)
    result = runner.invoke(app, ["claims", "--corpus", root, "--status", "recurs", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema"] == "provdiff.claims/1"
    assert document["groups"]
    assert all(g["status"] == "recurs" for g in document["groups"])
    # one group per line, so line tools (grep, head) can take groups without a JSON parser
    lines = result.stdout.splitlines()
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == document["groups"]
    assert all(group["first"] == group["claims"][0] for group in document["groups"])
    result = runner.invoke(app, ["claims", "--corpus", root, "--source", "koreapro", "--status", "unique"])
    assert result.exit_code == 0
    assert "Munich Security Conference" in result.stdout
    assert "15 percent" not in result.stdout
    result = runner.invoke(app, ["claims", "--corpus", root, "--since", "2030-01-01", "-f", "json"])
    assert json.loads(result.stdout)["groups"] == []
    result = runner.invoke(app, ["claims", "--corpus", root, "--since", "someday"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["report", "--corpus", root])
    assert result.exit_code == 0
    assert "3 article(s) from 3 source(s)" in result.stdout
    assert "modified date 2025-02-16T13:00:32Z is earlier than published date" in result.stdout
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", "--corpus", root, "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text().startswith("## provdiff corpus report")
    result = runner.invoke(app, ["reindex", "--corpus", root])
    assert result.exit_code == 0
    assert result.stdout.startswith("indexed 60 current claim(s)")


@pytest.mark.parametrize("output", ["terminal", "markdown", "json"])
def test_claims_written_to_a_file_are_what_the_terminal_shows(
    sample_corpus: Corpus, tmp_path: Path, output: str
) -> None:
    """Groups are written as they come: to a file through a temporary name that is renamed at the
    end, and an unwritable file is one error line, not a traceback."""
    root = str(sample_corpus.root)
    shown = runner.invoke(app, ["claims", "--corpus", root, "-f", output])
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "claims.out"
    written = runner.invoke(app, ["claims", "--corpus", root, "-f", output, "-o", str(out)])
    assert shown.exit_code == written.exit_code == 0
    assert out.read_text(encoding="utf-8") == shown.stdout
    assert written.stdout == ""
    assert [p.name for p in folder.iterdir()] == ["claims.out"]  # no temporary file left
    if output == "terminal":
        assert shown.stdout.endswith(f"\n{len(_groups(sample_corpus))} group(s)\n")
    failed = runner.invoke(app, ["claims", "--corpus", root, "-o", str(tmp_path / "no" / "dir.txt")])
    assert failed.exit_code == 2
    assert failed.stderr.startswith("Error: cannot write") and len(failed.stderr.splitlines()) == 1
    assert "Traceback" not in failed.output


def test_report_counts_agree_with_the_claim_groups(sample_corpus: Corpus, tmp_path: Path) -> None:
    """An oracle: the report reads the groups once as a stream; its figures must be those of the
    whole list of groups (with a planted conflict, so that every part of the summary has content)."""
    planted = "Tariff deal\n\n" + TARIFF.replace("15 percent", "20 percent") + " Markets rallied.\n"
    _ingest(sample_corpus, tmp_path, "planted.txt", planted, "planted-wire", "2025-09-01")
    groups = _groups(sample_corpus)
    result = runner.invoke(app, ["report", "--corpus", str(sample_corpus.root), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    statuses = Counter(g.status.value for g in groups)
    assert data["groups"] == {status.value: statuses[status.value] for status in GroupStatus}
    assert data["claims"] == sum(len(g.claims) for g in groups)
    assert data["conflicts"] == [c for g in groups for c in g.conflicts] != []
    assert [g["id"] for g in data["shared_groups"]] == [g.group_id for g in groups if len(g.sources) > 1]


def test_claims_carry_their_figures_dates_and_names(sample_corpus: Corpus) -> None:
    result = runner.invoke(app, ["claims", "--corpus", str(sample_corpus.root), "-f", "json"])
    claims = [c for g in json.loads(result.stdout)["groups"] for c in g["claims"]]
    tariff = next(c for c in claims if "15 percent" in c["text"])
    assert [f["token"] for f in tariff["figures"]] == ["15%"]
    assert tariff["names"] == ["Washington", "South", "Korean"]
    pledge = next(c for c in claims if "pledged $350 billion" in c["text"])
    assert pledge["figures"] == [
        {"text": "$350 billion", "value": 350e9, "unit": "USD", "token": "USD350000000000"}
    ]


def test_report_warns_of_a_date_far_from_its_claim_group(sample_corpus: Corpus, tmp_path: Path) -> None:
    for name, when in (("one", "2025-08-20"), ("two", "2025-08-22"), ("late", "2026-06-01")):
        _ingest(sample_corpus, tmp_path, f"{name}.txt", f"Visit {name}\n\n{STOPOVER}\n", f"wire-{name}", when)
    result = runner.invoke(app, ["report", "--corpus", str(sample_corpus.root), "-f", "json"])
    warnings = [w for w in json.loads(result.stdout)["warnings"] if "days from the median date" in w]
    assert len(warnings) == 1
    assert warnings[0].startswith("wire-late/")
    assert "283 days" in warnings[0]


def test_rebuild_after_a_revision_uses_the_revised_terms(corpus: Corpus, tmp_path: Path) -> None:
    """Regression: a rebuild replays every revision through one index, whose per-article term counts
    were cached from the first revision; a later claim matched against the revised article's new
    sentence then divided by a zero count."""
    new_fact = "Harbour officials confirmed that the Geoje shipyard will hire 1,200 welders before winter."
    _ingest(corpus, tmp_path, "a.txt", f"Shipyards\n\n{TARIFF} Orders rose.\n", "wire", "2025-03-01")
    _ingest(corpus, tmp_path, "b.txt", f"Trade\n\n{TARIFF} Exporters cheered.\n", "daily", "2025-03-02")
    _ingest(corpus, tmp_path, "a.txt", f"Shipyards\n\n{TARIFF} {new_fact}\n", "wire", "2025-03-01")
    reworded = "The Geoje shipyard is to take on 1,200 welders before winter, harbour officials said."
    _ingest(corpus, tmp_path, "c.txt", f"Jobs\n\n{reworded} Unions welcomed it.\n", "radio", "2025-03-03")
    result = runner.invoke(app, ["reindex", "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    group = _group_of(_groups(corpus), "1,200 welders")
    assert set(group.sources) == {"wire", "radio"}


def test_every_link_carries_its_evidence_and_explain_shows_it(sample_corpus: Corpus) -> None:
    root = str(sample_corpus.root)
    document = json.loads(
        runner.invoke(app, ["claims", "--corpus", root, "--status", "recurs", "-f", "json"]).stdout
    )
    links = [link for group in document["groups"] for link in group["links"]]
    assert links
    for link in links:
        evidence = link["evidence"]
        assert evidence["reason"]
        assert 0.0 <= evidence["wording"] <= 1.0 and 0.0 <= evidence["copy"] <= 1.0
    assert any("USD350000000000" in link["evidence"]["shared_figures"] for link in links)
    assert document["thresholds"]["restate"] == 0.5
    shown = runner.invoke(app, ["claims", "--corpus", root, "--status", "recurs", "--explain"]).stdout
    why = [line for line in shown.splitlines() if line.strip().startswith("why:")]
    assert len(why) == len(links)
    assert any("figures shared: $350 billion" in line and "overlaps" in line for line in why)


def test_lexical_evidence_is_one_switch_for_every_command(
    sample_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--lexical`` (or PROVDIFF_EVIDENCE=lexical) relates without the sentence encoder: the
    listing says which evidence its groups were found with, and no link carries a meaning."""
    monkeypatch.setenv(EVIDENCE, "semantic")  # restored after the test: --lexical sets it
    root = str(sample_corpus.root)
    semantic = runner.invoke(app, ["claims", "--corpus", root, "-f", "json"])
    assert semantic.exit_code == 0, semantic.output
    assert json.loads(semantic.stdout.splitlines()[0] + "]}")["thresholds"]["evidence"] == "semantic"
    assert '"meaning": 0.' in semantic.stdout  # a seed pair the lexical model was unsure of
    lexical = runner.invoke(app, ["--lexical", "claims", "--corpus", root, "-f", "json"])
    assert lexical.exit_code == 0, lexical.output
    assert '"evidence": "lexical"' in lexical.stdout.splitlines()[0]
    assert '"meaning": 0.' not in lexical.stdout
    monkeypatch.setenv(EVIDENCE, "lexicon")
    wrong = runner.invoke(app, ["claims", "--corpus", root])
    assert wrong.exit_code == 2
    assert wrong.output.strip() == "Error: PROVDIFF_EVIDENCE='lexicon': use semantic or lexical"
