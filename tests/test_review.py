"""Reviewing corpus changes in git: the diff driver, ``provdiff review``, the extraction guard."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff import api
from provdiff.cli import app
from provdiff.model import Metadata, RevisionKind
from provdiff.store import Corpus
from tests.test_align import SENTENCES

runner = CliRunner()
V1 = (
    "Port strike ends\n\n"
    "Dockworkers at Busan ended a strike that had halted 40 ships. "
    "The union said members voted to return.\n\n"
    "The port authority called the deal a relief for exporters.\n"
)
V2 = V1.replace("40 ships", "65 ships") + "\nCorrection: an earlier version gave the wrong number of ships.\n"
TARIFF = (
    "Seoul and Washington agreed to reduce tariffs on most South Korean goods, including cars, to 15 percent."
)
# Ten distinct paragraphs (near-identical ones would be collapsed as duplicates at ingest).
LONG = "\n\n".join(f"{SENTENCES[n]} {SENTENCES[(n + 3) % 10]}" for n in range(10))


def _ingest(corpus: Corpus, tmp_path: Path, name: str, text: str, source: str, **kw: object) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    items = api.collect_inputs([str(path)], None, Metadata(source=source), None, None)
    api.ingest(corpus, items, **kw)  # type: ignore[arg-type]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def revised(corpus: Corpus, tmp_path: Path) -> Corpus:
    _ingest(corpus, tmp_path, "port.txt", V1, "wire")
    _ingest(corpus, tmp_path, "port.txt", V2, "wire")
    return corpus


def test_git_diff_runs_the_driver(revised: Corpus) -> None:
    out = _git(revised.root, "diff", "HEAD~1", "HEAD", "--", "articles")
    assert "diff --provdiff a/articles/wire/port-" in out
    assert "figures changed: 40 -> 65" in out
    assert "halted [-40-]{+65+} ships" in out  # a word diff, not two whole paragraphs
    assert "-Dockworkers" not in out
    assert "The port authority" not in out  # unchanged paragraphs are counted, not shown


def test_git_log_shows_one_sentence_per_line(revised: Corpus) -> None:
    out = _git(revised.root, "log", "-p", "-1", "--", "articles/*/*/text.md")
    assert "-Dockworkers at Busan ended a strike that had halted 40 ships.\n" in out
    assert "+Dockworkers at Busan ended a strike that had halted 65 ships.\n" in out
    assert "\n The union said members voted to return.\n" in out  # the other sentence is context
    assert "+Correction: an earlier version gave the wrong number of ships.\n" in out
    ext = _git(revised.root, "show", "--ext-diff", "HEAD", "--", "articles/*/*/text.md")
    assert "[-40-]{+65+}" in ext


def test_driver_works_in_a_fresh_clone_after_setup(revised: Corpus, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(revised.root), str(clone)], check=True)
    before = _git(clone, "diff", "HEAD~1", "HEAD", "--", "articles/*/*/text.md")
    assert "diff --provdiff" not in before  # settings are not cloned: plain line diff
    assert "-Dockworkers" in before
    result = runner.invoke(app, ["git-setup", "--corpus", str(clone)])
    assert result.exit_code == 0, result.output
    after = _git(clone, "diff", "HEAD~1", "HEAD", "--", "articles/*/*/text.md")
    assert "diff --provdiff" in after
    assert "[-40-]{+65+}" in after


def test_commit_message_counts_claims(revised: Corpus) -> None:
    message = _git(revised.root, "log", "-1", "--format=%B")
    assert message.startswith("Revise wire/port-")
    assert "(claims +2 -1)" in message.splitlines()[0]  # new figure sentence and the correction
    assert "Claims-Added: 2\nClaims-Removed: 1" in message
    first = _git(revised.root, "log", "-1", "--skip=1", "--format=%B")
    assert "Claims-Added: 3\nClaims-Removed: 0" in first


def _normalized(text: str) -> str:
    return re.sub(r"`[0-9a-f]{12}\.\.[0-9a-f]{12}`", "`BASE..HEAD`", text)


def test_review_of_a_range_with_known_changes(
    sample_corpus: Corpus, tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    _ingest(sample_corpus, tmp_path, "port.txt", V1, "wire")
    base = sample_corpus.head()
    planted = "Tariff deal\n\n" + TARIFF.replace("15 percent", "20 percent") + " Markets rallied.\n"
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "port.txt").write_text(V2, encoding="utf-8")
    (tmp_path / "batch" / "planted.txt").write_text(planted, encoding="utf-8")
    items = api.collect_inputs([str(tmp_path / "batch")], None, Metadata(source="wire"), None, None)
    api.ingest(sample_corpus, items)
    result = runner.invoke(
        app, ["review", f"{base[:12]}..HEAD", "--corpus", str(sample_corpus.root), "-f", "markdown"]
    )
    assert result.exit_code == 1, result.output  # substantive changes
    golden("review/range.md", _normalized(result.output).replace(base[:12], "BASE"))
    document = json.loads(
        runner.invoke(
            app, ["review", f"{base}..HEAD", "--corpus", str(sample_corpus.root), "-f", "json"]
        ).output
    )
    kinds = {a["status"]: [c["kind"] for c in a["changes"]] for a in document["articles"]}
    assert kinds == {"added": ["added", "added"], "revised": ["figures", "added"]}
    assert document["conflicts"] == [
        f"15% (unattributed-002) vs 20% (wire) ({_claim(document, 'unattributed-002')} / "
        f"{_claim(document, 'wire/planted')})"
    ]


def _claim(document: dict[str, list[str]], prefix: str) -> str:
    """The claim id in the review's conflict line that starts with ``prefix``."""
    ids: list[str] = re.findall(r"[\w/.-]+@\d+#p\d+s\d+", document["conflicts"][0])
    return next(part for part in ids if part.startswith(prefix))


def test_review_exit_codes(revised: Corpus, tmp_path: Path) -> None:
    root = str(revised.root)
    assert runner.invoke(app, ["review", "HEAD..HEAD", "--corpus", root]).exit_code == 0
    _ingest(revised, tmp_path, "port.txt", V2.replace("a relief", "“a relief”"), "wire")
    cosmetic = runner.invoke(app, ["review", "HEAD~1..HEAD", "--corpus", root])
    assert cosmetic.exit_code == 0, cosmetic.output
    assert "cosmetic edit" in cosmetic.output
    assert runner.invoke(app, ["review", "HEAD~2..HEAD", "--corpus", root]).exit_code == 1
    bad = runner.invoke(app, ["review", "nosuchbranch..HEAD", "--corpus", root])
    assert bad.exit_code == 2
    assert "no commit 'nosuchbranch'" in bad.output


def test_review_of_a_branch_not_checked_out(revised: Corpus, tmp_path: Path) -> None:
    root = revised.root
    _git(root, "branch", "feature")
    _git(root, "checkout", "-q", "feature")
    _ingest(revised, tmp_path, "port.txt", V2 + "\nA second correction was added later.\n", "wire")
    _git(root, "checkout", "-q", "main")
    result = runner.invoke(app, ["review", "main..feature", "--corpus", str(root)])
    assert result.exit_code == 1, result.output
    assert "claim added: A second correction was added later." in result.output


def test_guard_flags_a_revision_that_lost_most_paragraphs(corpus: Corpus, tmp_path: Path) -> None:
    _ingest(corpus, tmp_path, "council.txt", "Council vote\n\n" + LONG, "daily")
    head = corpus.head()
    shrunk = "Council vote\n\n" + "\n\n".join(LONG.split("\n\n")[:2])  # 80% of the paragraphs gone
    path = tmp_path / "council.txt"
    path.write_text(shrunk, encoding="utf-8")
    strict = runner.invoke(
        app, ["ingest", "--corpus", str(corpus.root), "--source", "daily", "--strict", str(path)]
    )
    assert strict.exit_code == 1
    assert "suspected extraction failure" in strict.output
    assert "kept 2 of 10 paragraphs" in strict.output
    assert corpus.head() == head
    flagged = runner.invoke(app, ["ingest", "--corpus", str(corpus.root), "--source", "daily", str(path)])
    assert flagged.exit_code == 0, flagged.output
    assert "1 flagged as suspected extraction failures" in flagged.output
    article_id = corpus.article_ids()[0]
    assert [r.kind for r in corpus.revisions(article_id)] == [RevisionKind.FIRST, RevisionKind.SUSPECT]
    events = [e for e in corpus.load(article_id).repairs if e.kind == "extraction-health"]
    assert [e.detail for e in events] == ["kept 2 of 10 paragraphs"]
    with api.open_claims_index(corpus) as index:
        daily = api.audit(corpus, index)[0]
    assert (daily.edits, daily.suspect_extractions) == (0, 1)


def test_reextraction_is_its_own_kind_and_not_an_edit(corpus: Corpus, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Council vote\n\nThe council *approved* the budget.\n\n- one\n- two\n", encoding="utf-8"
    )
    for fmt in ("text", "markdown"):
        result = runner.invoke(
            app, ["ingest", "--corpus", str(corpus.root), "--source", "daily", "--reader", fmt, str(path)]
        )
        assert result.exit_code == 0, result.output
    article_id = corpus.article_ids()[0]
    assert [r.kind for r in corpus.revisions(article_id)] == [RevisionKind.FIRST, RevisionKind.REEXTRACT]
    with api.open_claims_index(corpus) as index:
        daily = api.audit(corpus, index)[0]
    assert (daily.edits, daily.reextractions) == (0, 1)


def test_review_lists_the_links_a_revision_gained_and_lost(corpus: Corpus, tmp_path: Path) -> None:
    """A revision that drops a sentence another outlet also ran loses that link; one that adds a
    restatement of another outlet's sentence gains one. Sentences it kept keep theirs."""
    shared = "Dockworkers at Busan ended a strike that had halted 40 ships after a vote on Sunday."
    _ingest(corpus, tmp_path, "wire.txt", f"Strike\n\n{shared} {TARIFF}\n", "wire")
    _ingest(corpus, tmp_path, "daily.txt", f"Port\n\n{shared} Unions cheered the vote.\n", "daily")
    base = corpus.head()
    _ingest(corpus, tmp_path, "daily.txt", f"Port\n\nUnions cheered the vote. {TARIFF}\n", "daily")
    result = runner.invoke(app, ["review", f"{base}..HEAD", "--corpus", str(corpus.root), "-f", "json"])
    document = json.loads(result.output)
    assert len(document["links_lost"]) == 1 and "halted 40 ships" in document["links_lost"][0]
    assert len(document["links_gained"]) == 1 and "reduce tariffs" in document["links_gained"][0]
    assert document["links_gained"][0].startswith("daily/")
