"""The claim lookup (``provdiff match``): the candidates of one sentence against the index's
postings are those the corpus's own join finds, a match is a link of ``claims``, and the pairs
file mode reads TSV and writes JSON Lines, with one error line for a bad file."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provdiff import api
from provdiff.claims.candidates import joined_pairs, lookup, term_hashes
from provdiff.claims.lookup import judge_pairs, read_pairs
from provdiff.claims.options import RelationOptions
from provdiff.cli import app
from provdiff.index import FILE_NAME
from provdiff.model import Metadata, Relation
from provdiff.segment import match_key
from provdiff.store import Corpus
from tests.test_relation import DOCK, MORE, RESTATED, TARIFF_JP, TARIFF_KR, WIRE

runner = CliRunner()
WORDS = "port Geoje welders hire winter harbour officials dock Hanwha wages Seoul $40 million 15%".split()


@settings(max_examples=60, deadline=None)
@given(
    corpus=st.lists(st.lists(st.sampled_from(WORDS), min_size=2, max_size=9).map(" ".join), max_size=14),
    query=st.lists(st.sampled_from(WORDS), min_size=2, max_size=9).map(" ".join),
    cap=st.integers(2, 6),
    lone=st.integers(1, 3),
    shared=st.integers(1, 3),
)
def test_lookup_finds_the_pairs_the_corpus_join_would(
    corpus: list[str], query: str, cap: int, lone: int, shared: int
) -> None:
    """Oracle: the candidates of a query against postings of a corpus's nodes are exactly the
    nodes ``joined_pairs`` pairs it with over the corpus and the query together, whether or not
    the corpus already holds the query's sentence."""
    options = RelationOptions(semantic=False, gram_cap=cap, lone_figure=lone, min_shared=shared)
    nodes = list({match_key(t): t for t in corpus}.values())  # one text per node, as ``relate``
    hashes, counts = term_hashes(nodes)
    postings: dict[int, list[int]] = {}
    for node, held in enumerate(np.split(hashes, np.cumsum(counts)[:-1]) if nodes else []):
        for term in held.tolist():
            postings.setdefault(term, []).append(node)
    own = next((n for n, t in enumerate(nodes) if match_key(t) == match_key(query)), None)
    together = nodes if own is not None else [*nodes, query]
    me = own if own is not None else len(nodes)
    pairs = joined_pairs(*term_hashes(together), options).tolist()
    expected = sorted({j if i == me else i for i, j in pairs if me in (i, j)})
    query_hashes = term_hashes([query])[0].tolist()
    assert lookup(query_hashes, postings, options, own) == expected


def _ingest(corpus: Corpus, tmp_path: Path, name: str, source: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(f"{name}\n\n{text}\n", encoding="utf-8")
    meta = Metadata(source=source, published="2025-09-01")
    api.ingest(corpus, api.collect_inputs([str(path)], None, meta, None, None))


def test_every_link_of_the_corpus_is_a_match_with_its_relation(sample_corpus: Corpus, tmp_path: Path) -> None:
    """``match`` of a corpus claim finds every claim ``claims`` links it to, with the same relation
    and score: one relation, one candidate rule."""
    _ingest(sample_corpus, tmp_path, "geoje.txt", "wire", f"{WIRE} {DOCK}")
    _ingest(sample_corpus, tmp_path, "port.txt", "daily", f"{RESTATED} {MORE}")
    with api.open_claims_index(sample_corpus, postings=True) as index:
        links = index.links()
        assert any(link.relation is Relation.REWORDED for link in links)
        for link in links:
            found = api.match(index, link.a.text)
            assert len(found) == 1
            matched = {m.claim: m.judgement for m in found[0].matches}
            assert link.b in matched, (link.a.text, link.b.text)
            assert matched[link.b].relation is link.relation
            assert matched[link.b].score == link.score


def test_a_match_lists_the_restatement_and_not_the_other_country(corpus: Corpus, tmp_path: Path) -> None:
    _ingest(corpus, tmp_path, "geoje.txt", "wire", f"{WIRE} {TARIFF_KR}")
    with api.open_claims_index(corpus, postings=True) as index:
        [found] = api.match(index, RESTATED)
        assert [m.claim.text for m in found.matches] == [WIRE]
        assert found.matches[0].judgement.relation is Relation.REWORDED
        [other] = api.match(index, TARIFF_JP)
        assert other.matches == ()  # the same words and figure about Japan are no witness
        [verbatim, none] = api.match(index, f"{TARIFF_KR} Nothing of the kind was said in Busan.")
        assert verbatim.matches[0].judgement.relation is Relation.VERBATIM
        assert none.matches == ()


def test_postings_follow_the_current_claims(sample_corpus: Corpus, tmp_path: Path) -> None:
    """Postings are built by the first lookup and kept from then on: a revision that drops a sentence
    drops its postings, and the table is the one a rebuild builds."""
    _ingest(sample_corpus, tmp_path, "geoje.txt", "wire", f"{WIRE} {DOCK}")
    with api.open_claims_index(sample_corpus, postings=True) as index:
        assert api.match(index, MORE)[0].matches
    _ingest(sample_corpus, tmp_path, "geoje.txt", "wire", WIRE)
    with api.open_claims_index(sample_corpus, postings=True) as index:
        assert not api.match(index, MORE)[0].matches
        hashes, _ = term_hashes([DOCK])
        assert not any(index.postings(hashes.tolist(), 5).values())
    incremental = _postings(sample_corpus)
    with api.open_claims_index(sample_corpus, rebuild=True):
        pass
    assert _postings(sample_corpus) == []  # a corpus never looked up keeps none
    with api.open_claims_index(sample_corpus, postings=True):
        pass
    assert _postings(sample_corpus) == incremental


def _postings(corpus: Corpus) -> list[tuple[int, int]]:
    with closing(sqlite3.connect(corpus.state_dir / FILE_NAME)) as db:
        return db.execute("SELECT term, node FROM postings ORDER BY term, node").fetchall()


def test_match_on_the_command_line(sample_corpus: Corpus, tmp_path: Path) -> None:
    _ingest(sample_corpus, tmp_path, "geoje.txt", "wire", WIRE)
    where = ["--corpus", str(sample_corpus.root)]
    result = runner.invoke(app, ["match", RESTATED, *where, "--explain"])
    assert result.exit_code == 0, result.output
    assert "reworded" in result.stdout and WIRE in result.stdout and "why: reworded" in result.stdout
    assert result.stdout.rstrip().endswith("1 match(es)")
    result = runner.invoke(app, ["match", "-", *where, "-f", "json"], input=RESTATED)
    body = json.loads(result.stdout)
    assert body["schema"] == "provdiff.match/1"
    [query] = body["queries"]
    assert query["matches"][0]["claim"]["source"] == "wire"
    assert query["matches"][0]["relation"] == "reworded"
    assert query["matches"][0]["evidence"]["restates"] >= 0.5


PAIRS = (
    "id\tlabel\ta\tb\n"
    f"p1\t1\t{WIRE}\t{RESTATED}\n"
    f'p2\t0\t{TARIFF_KR}\t"{TARIFF_JP}"\n'  # a quote is text, not a field delimiter
    "\n"
    f"p3\t0\t{DOCK}\t{WIRE}\n"
)


def test_pairs_file_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS, encoding="utf-8")
    result = runner.invoke(app, ["match", "--pairs", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["same"], r["relation"]) for r in rows] == [
        ("p1", True, "reworded"),
        ("p2", False, "different"),
        ("p3", False, "different"),
    ]
    assert rows[1]["evidence"]["other_subject"]
    result = runner.invoke(app, ["match", "--pairs", "-"], input=PAIRS)
    lines = result.stdout.splitlines()
    assert lines[0] == "id\tsame\trelation\tscore\treason"
    assert [line.split("\t")[:3] for line in lines[1:]] == [
        ["p1", "true", "reworded"],
        ["p2", "false", "different"],
        ["p3", "false", "different"],
    ]


def test_pairs_judged_as_the_relation_judges() -> None:
    """The pairs mode is ``judge`` of each pair, with the options every corpus command uses."""
    pairs = list(read_pairs(PAIRS.splitlines(), "pairs"))
    assert pairs[1].b == f'"{TARIFF_JP}"'
    direct = dict(judge_pairs(pairs, RelationOptions()))
    assert [found.relation for found in direct.values()] == [
        judged.relation for _, judged in api.judge_pair_file(PAIRS.encode(), "pairs")
    ]


def test_bad_pairs_files_are_one_error_line(tmp_path: Path) -> None:
    cases = {
        "id\ttext\n1\tonly one sentence\n": "no column a, b",
        "id\ta\tb\n1\tone\n": "line 2: 2 field(s)",
        "": "empty",
    }
    for text, message in cases.items():
        result = runner.invoke(app, ["match", "--pairs", "-"], input=text)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    path = tmp_path / "latin1.tsv"
    path.write_bytes("id\ta\tb\n1\tcaf\xe9\tcafe\n".encode("latin-1"))
    result = runner.invoke(app, ["match", "--pairs", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.stderr
    result = runner.invoke(app, ["match", "--pairs", str(tmp_path / "missing.tsv")])
    assert result.exit_code == 2 and "cannot read" in result.stderr
    for args in (["match"], ["match", "text", "--pairs", "-"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and result.stderr.startswith("Error: give a sentence")
