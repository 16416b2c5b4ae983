"""``provdiff export --sqlite``: plain tables a reader can query, that agree with the JSON outputs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.store import Corpus

runner = CliRunner()
TABLES = {
    "meta": ["key", "value"],
    "articles": ["id", "source", "title", "url", "published", "modified", "lang", "revisions"],
    "revisions": ["article_id", "number", "commit", "committed_at", "kind"],
    "claims": [
        "id",
        "article_id",
        "revision",
        "paragraph",
        "sentence",
        "source",
        "when",
        "text",
        "group_id",
        "dates",
        "names",
    ],
    "figures": ["claim_id", "position", "text", "value", "unit", "token"],
    "groups": [
        "id",
        "status",
        "conflict",
        "claims",
        "sources",
        "independent_sources",
        "source_names",
        "first_claim",
        "first_source",
        "first_when",
        "text",
        "variations",
        "conflicts",
    ],
    "links": ["group_id", "a", "b", "relation", "score", "conflict", "reason", "evidence"],
}


def test_the_export_holds_what_claims_and_audit_report(sample_corpus: Corpus, tmp_path: Path) -> None:
    root = str(sample_corpus.root)
    target = tmp_path / "corpus.sqlite"
    done = runner.invoke(app, ["export", "--corpus", root, "--sqlite", str(target)])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "corpus") == ["corpus.sqlite"]  # no .part
    db = sqlite3.connect(target)
    for table, columns in TABLES.items():
        assert [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')] == columns, table
    groups = json.loads(runner.invoke(app, ["claims", "--corpus", root, "-f", "json"]).stdout)["groups"]
    assert db.execute("SELECT count(*) FROM groups").fetchone()[0] == len(groups)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == sum(len(g["claims"]) for g in groups)
    assert db.execute("SELECT count(*) FROM links").fetchone()[0] == sum(len(g["links"]) for g in groups)
    exported = dict(db.execute("SELECT status, count(*) FROM groups GROUP BY status").fetchall())
    expected: dict[str, int] = {}
    for group in groups:
        expected[group["status"]] = expected.get(group["status"], 0) + 1
    assert exported == expected
    # every claim belongs to a group that exists, every figure to a claim (a query a reader writes)
    assert db.execute(
        "SELECT count(*) FROM claims WHERE group_id NOT IN (SELECT id FROM groups)"
    ).fetchone() == (0,)
    assert db.execute(
        "SELECT count(*) FROM figures WHERE claim_id NOT IN (SELECT id FROM claims)"
    ).fetchone() == (0,)
    pledge = db.execute("SELECT text, value, unit FROM figures WHERE token = 'USD350000000000'").fetchall()
    assert ("$350 billion", 350e9, "USD") in pledge
    audit = json.loads(runner.invoke(app, ["audit", "--corpus", root, "-f", "json"]).stdout)["sources"]
    rows = {
        row[0]: row[1:] for row in db.execute("SELECT source, claims, corroborated, exclusive FROM sources")
    }
    assert rows == {a["source"]: (a["claims"], a["corroborated"], a["exclusive"]) for a in audit}
    assert dict(db.execute("SELECT key, value FROM meta"))["commit"] == sample_corpus.head()
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    link = db.execute("SELECT evidence FROM links LIMIT 1").fetchone()[0]
    assert "shared_figures" in json.loads(link)


def test_an_unwritable_export_is_one_line_and_replaces_nothing(sample_corpus: Corpus, tmp_path: Path) -> None:
    root = str(sample_corpus.root)
    missing = tmp_path / "no" / "such" / "dir.sqlite"
    done = runner.invoke(app, ["export", "--corpus", root, "--sqlite", str(missing)])
    assert (
        done.exit_code == 2 and done.stderr.startswith("Error: cannot write") and done.stderr.count("\n") == 1
    )
    kept = tmp_path / "kept.sqlite"
    kept.write_text("an earlier export")
    (tmp_path / ".kept.sqlite.part").mkdir()  # the temporary name is taken: the write fails
    done = runner.invoke(app, ["export", "--corpus", root, "--sqlite", str(kept)])
    assert done.exit_code == 2
    assert kept.read_text() == "an earlier export"
