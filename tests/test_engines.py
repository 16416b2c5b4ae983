"""The bulk copy engine on Dask (local cluster) gives exactly what the local engine gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.synth_corpus import generate
from typer.testing import CliRunner

from provdiff import api
from provdiff.claims import candidates
from provdiff.claims.batch import group_links, relate
from provdiff.cli import app
from provdiff.cluster.dask_engine import DaskEngine
from provdiff.cluster.engine import LocalEngine
from provdiff.cluster.shingles import Corpus, Document
from provdiff.model import Claim, ClaimLink, Metadata
from provdiff.store import Corpus as Store

runner = CliRunner()
TARIFF = (
    "Seoul and Washington agreed to reduce tariffs on most South Korean goods, including cars, to 15 percent."
)


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[DaskEngine]:
    engine = DaskEngine(workers=2)
    try:
        yield engine
    finally:
        engine.close()


def _signature(links: list[ClaimLink]) -> list[tuple[str, str, str, float, str]]:
    return sorted((x.a.claim_id, x.b.claim_id, x.relation.value, x.score, x.conflict) for x in links)


def test_dask_and_local_engines_give_identical_links_and_groups(dask_engine: DaskEngine) -> None:
    synth = generate(120, seed=11)
    documents = [Document(a, 1, s, w, p) for a, s, w, p in synth.articles]
    local = Corpus(documents, engine=LocalEngine(2)).links()
    remote = Corpus(documents, engine=dask_engine).links()
    assert len(local) > 100  # the generator planted copies
    assert _signature(remote) == _signature(local)

    def groups(links: list[ClaimLink]) -> list[tuple[str, ...]]:
        return sorted(tuple(c.claim_id for c in g.claims) for g in group_links(links).groups())

    assert groups(remote) == groups(local)


def test_copies_command_on_both_engines(corpus: Store, tmp_path: Path) -> None:
    for number, source in enumerate(("wire", "daily", "radio")):
        text = TARIFF.replace("15 percent", "20 percent") if source == "radio" else TARIFF
        path = tmp_path / f"a{number}.txt"
        path.write_text(
            f"Tariffs\n\nMarkets moved on Monday. {text} Analysts were surprised.\n", encoding="utf-8"
        )
        api.ingest(corpus, api.collect_inputs([str(path)], None, Metadata(source=source), None, None))
    root = str(corpus.root)
    local = runner.invoke(app, ["copies", "--corpus", root, "-f", "json"])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(
        app, ["copies", "--corpus", root, "--engine", "dask", "--workers", "1", "-f", "json"]
    )
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output
    assert '"20% (radio)' in local.output or "20% (radio)" in local.output
    wrong = runner.invoke(app, ["copies", "--corpus", root, "--scheduler", "tcp://127.0.0.1:1"])
    assert wrong.exit_code == 2
    assert "--scheduler is for --engine dask" in wrong.output


def test_claim_relation_on_dask_gives_what_one_process_gives(
    dask_engine: DaskEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The candidates' terms are hashed on the Dask workers (stable CRC-32 hashes, not ``hash``,
    which differs per process): the links and groups must equal those of one local process."""
    synth = generate(60, seed=5)
    claims = [
        Claim(f"{source}/{article}", 1, p, k, sentence, source, "2025-01-01")
        for article, source, _when, paragraphs in synth.articles
        for p, paragraph in enumerate(paragraphs)
        for k, sentence in enumerate(s for s in paragraph.split(". ") if s)
    ]
    alone = relate(claims, engine=LocalEngine(1))
    monkeypatch.setattr(candidates, "_PARALLEL_FROM", 0)
    remote = relate(claims, engine=dask_engine)
    assert len(alone.links) > 20
    assert remote.links == alone.links
    assert list(remote.groups()) == list(alone.groups())
