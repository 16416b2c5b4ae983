"""Every command through typer's CliRunner: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff.cli import app
from tests.conftest import SAMPLE, SEED_002, SEED_004

runner = CliRunner()


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "c"
    assert _run("init", str(path))[0] == 0
    code, out, _ = _run("ingest", "--corpus", str(path), str(SAMPLE))
    assert code == 0, out
    return path


def test_init_and_ingest_directory_with_its_manifest(sample: Path) -> None:
    code, out, _ = _run("list", "--corpus", str(sample))
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("koreapro/us-and-south-korea-reaffirm-alliance")
    assert "2025-02-16T23:00:33Z" in lines[0]
    assert any(line.startswith("roushan-kumar-blog/") for line in lines)


def test_ingest_again_reports_nothing_new(sample: Path) -> None:
    code, out, _ = _run("ingest", "--corpus", str(sample), str(SAMPLE))
    assert code == 0
    assert out.strip() == "3 unchanged; no commit (nothing new)"


def test_ingest_json_and_env_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c"
    _run("init", str(path))
    monkeypatch.setenv("PROVDIFF_CORPUS", str(path))
    code, out, _ = _run("ingest", "--source", "s2", "--reader", "text", str(SEED_002), "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == 1
    assert [a.split("/")[0] for a in document["added"]] == ["s2"]


def test_ingest_stdin_with_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _run("init", "c")
    monkeypatch.chdir(tmp_path / "c")
    story = b"Port closes\n\nThe port closed on Friday after a storm.\n"
    code, out, err = _run(
        "ingest",
        "-",
        "--source",
        "tide",
        "--url",
        "https://tide.example/port",
        "--published",
        "2025-03-01T10:00:00+01:00",
        stdin=story,
    )
    assert code == 0, err
    assert "1 added" in out
    code, out, _ = _run("show", "port", "-f", "json")
    shown = json.loads(out)
    assert shown["published"] == "2025-03-01T09:00:00Z"
    assert shown["url"] == "https://tide.example/port"
    assert shown["paragraphs"] == ["The port closed on Friday after a storm."]


def test_log_and_show_revisions(sample: Path, tmp_path: Path) -> None:
    edited = tmp_path / "004_8cc0ab10a7fade2c.txt"
    edited.write_bytes(SEED_004.read_bytes().replace(b"Munich Security Conference", b"Munich conference"))
    code, out, err = _run(
        "ingest", "--corpus", str(sample), "--source", "koreapro", str(edited), "-m", "second capture"
    )
    assert code == 0, err
    assert "1 revised" in out
    code, out, _ = _run("log", "--corpus", str(sample), "koreapro")
    lines = out.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["@1", "@2"]
    assert lines[1].endswith("update")
    _, first, _ = _run("show", "--corpus", str(sample), "koreapro@1")
    _, second, _ = _run("show", "--corpus", str(sample), "koreapro")
    assert "Munich Security Conference" in first
    assert "Munich Security Conference" not in second and "Munich conference" in second
    commit = lines[0].split()[1]
    _, by_commit, _ = _run("show", "--corpus", str(sample), f"koreapro@{commit}")
    assert by_commit == first
    assert "warning: metadata: modified date" in first


def test_show_raw_and_repairs(sample: Path) -> None:
    result = runner.invoke(app, ["show", "--corpus", str(sample), "--raw", "002"])
    assert result.stdout_bytes == SEED_002.read_bytes()
    code, out, _ = _run("show", "--corpus", str(sample), "--repairs", "000-570e")
    assert code == 0
    assert "removed boilerplate (block 7): ad marker: 'Advertisment'" in out
    assert "repaired mojibake" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the input is empty"),
        (b"%PDF-1.4 binary", "PDF document"),
        (b'{"id": 5, "guid": {"rendered": "g"}, "slug": "s", "content": {"protected": false}}', "no content"),
    ],
)
def test_bad_input_one_error_line_exit_1_corpus_untouched(
    sample: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    head = subprocess.run(
        ["git", "-C", str(sample), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, out, err = _run("ingest", "--corpus", str(sample), "--source", "x", str(SEED_002), str(bad))
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("Error: ") and str(bad) in err and message in err
    after = subprocess.run(
        ["git", "-C", str(sample), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout
    assert after == head


def test_usage_errors_exit_2(sample: Path, tmp_path: Path) -> None:
    code, _, err = _run("ingest", "--corpus", str(sample), "--published", "someday", str(SEED_002))
    assert code == 2 and err.startswith("Error: --published 'someday' is not a date")
    code, _, err = _run("ingest", "--corpus", str(sample), str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err
    code, _, err = _run("ingest", "--corpus", str(sample), "--format", "pdf", str(SEED_002))
    assert code == 2


def test_missing_corpus_and_article(tmp_path: Path) -> None:
    code, _, err = _run("list", "--corpus", str(tmp_path))
    assert code == 1 and "provdiff init" in err
    path = tmp_path / "c"
    _run("init", str(path))
    code, out, _ = _run("list", "--corpus", str(path))
    assert code == 0 and "no articles yet" in out
    code, _, err = _run("show", "--corpus", str(path), "nothing")
    assert code == 1 and err.strip() == "Error: no article matches 'nothing'; see provdiff list"


def test_missing_source_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "c"
    _run("init", str(path))
    code, _, err = _run("ingest", "--corpus", str(path), str(SEED_002))
    assert code == 1 and "pass --source NAME" in err


def test_console_script_runs() -> None:
    script = Path(sys.executable).parent / "provdiff"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("provdiff ")


def test_oversize_stdin_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _run("init", str(corpus))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "provdiff",
            "ingest",
            "--corpus",
            str(corpus),
            "--source",
            "s",
            "--max-bytes",
            "1000",
            "-",
        ],
        input=b"Title\n\n" + b"word " * 100_000,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert b"over the 1,000-byte limit" in result.stderr
    assert (
        subprocess.run(
            ["git", "-C", str(corpus), "rev-list", "--count", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        == "1"
    )


def test_a_gigantic_single_paragraph_is_stored_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _run("init", str(corpus))
    paragraph = " ".join(f"Sentence {n} says the port moved {n} boxes." for n in range(40_000))  # ~1.7 MB
    path = tmp_path / "huge.txt"
    path.write_text(f"Huge\n\n{paragraph}\n", encoding="utf-8")
    code, _, err = _run("ingest", "--corpus", str(corpus), "--source", "s", str(path))
    assert code == 0, err
    code, shown, _ = _run("show", "--corpus", str(corpus), "-f", "json", "huge")
    assert json.loads(shown)["paragraphs"] == [paragraph]


def _git(corpus: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(corpus), *args], capture_output=True, text=True, check=True
    ).stdout


def test_a_jsonl_batch_larger_than_the_limit_streams_and_a_bad_line_stores_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _run("init", str(corpus))
    records = [
        {"id": f"n{n}", "source": "wire", "text": f"Story {n}.\n\nThe port moved {n * 17} boxes on day {n}."}
        for n in range(40)
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    limit = str(max(len(json.dumps(r)) for r in records) + 20)  # room for the revision below
    assert batch.stat().st_size > 10 * int(limit)
    code, _, err = _run("ingest", "--corpus", str(corpus), "--max-bytes", limit, str(batch))
    assert code == 0, err
    assert len(_run("list", "--corpus", str(corpus))[1].strip().splitlines()) == 40
    history = _git(corpus, "log", "--format=%H")
    changed = [{**r, "text": r["text"] + " Revised."} for r in records]
    batch.write_text(
        "".join(json.dumps(r) + "\n" for r in changed) + '{"id": "x", "text": \n', encoding="utf-8"
    )
    code, _, err = _run("ingest", "--corpus", str(corpus), "--max-bytes", limit, str(batch))
    assert code == 1
    assert err.startswith("Error:") and "batch.jsonl:41" in err and len(err.strip().splitlines()) == 1
    assert _git(corpus, "log", "--format=%H") == history
    assert _git(corpus, "status", "--porcelain") == ""


def test_ingest_format_is_the_output_format_and_the_old_reader_spelling_warns(tmp_path: Path) -> None:
    """``-f/--format`` is the output format on ingest as everywhere; ``--format html`` (the reader,
    as it was) still works for one release, with one warning line naming ``--reader``."""
    path = tmp_path / "c"
    _run("init", str(path))
    page = tmp_path / "story.txt"
    page.write_text(
        "<html><body><article><h1>Port</h1><p>The port reopened on Monday after repairs.</p>"
        "<p>Officials said the northern pier cost $2.5 million to mend.</p></article></body></html>"
    )
    code, out, err = _run("ingest", "--corpus", str(path), "--source", "s", "--format", "html", str(page))
    assert code == 0 and err.count("\n") == 1 and "write --reader html" in err
    assert out.startswith("1 added")
    shown = _run("show", "--corpus", str(path), "story", "-f", "json")
    assert json.loads(shown[1])["format"] == "html"  # read as HTML, as asked
    code, out, err = _run("ingest", "--corpus", str(path), "--source", "s", "--format", "yaml", str(page))
    assert code == 2 and "not an output format" in err


def test_revision_of_records_a_renamed_file_as_the_same_article(sample: Path, tmp_path: Path) -> None:
    """A file under another name is a new article by default; ``--revision-of`` makes it the next
    revision of the named article, keeping its source; two inputs with it store nothing."""
    renamed = tmp_path / "renamed-copy.txt"
    renamed.write_text(SEED_002.read_text(encoding="utf-8").replace("$350 billion", "$400 billion"))
    code, out, err = _run("ingest", "--corpus", str(sample), "--revision-of", "002", str(renamed))
    assert code == 0, err
    assert out.startswith("1 revised")
    code, out, _ = _run("log", "--corpus", str(sample), "002")
    assert [line.split()[0] for line in out.splitlines()] == ["@1", "@2"]
    code, out, _ = _run("list", "--corpus", str(sample), "-f", "json")
    assert len(json.loads(out)["articles"]) == 3  # no fourth article
    code, out, err = _run(
        "ingest", "--corpus", str(sample), "--revision-of", "002", str(renamed), str(SEED_002)
    )
    assert code == 2 and "takes one article" in err
    code, out, _ = _run("log", "--corpus", str(sample), "002")
    assert len(out.splitlines()) == 2  # all or nothing: the refused batch stored nothing
    code, _, err = _run("ingest", "--corpus", str(sample), "--revision-of", "nosuch", str(renamed))
    assert code == 1 and "nosuch" in err


def test_keep_going_stores_the_good_files_and_lists_each_refused_one(tmp_path: Path) -> None:
    """All or nothing stays the default; ``--keep-going`` stores the good files of the batch in
    one commit, names each refused file with its reason on stderr, and exits 1."""
    path = tmp_path / "c"
    _run("init", str(path))
    batch = tmp_path / "batch"
    batch.mkdir()
    for k in range(3):
        (batch / f"story-{k}.txt").write_text(
            f"Story {k}\n\nThe harbour reopened on day {k} after repairs to the pier.\n"
        )
    (batch / "scan.txt").write_bytes(b"\x00\x01PDF-ish\x00" * 40)
    (batch / "empty.txt").write_text("")
    code, _, err = _run("ingest", "--corpus", str(path), "--source", "wire", str(batch))
    assert code == 1 and err.count("\n") == 1  # refused whole, one line
    assert _run("list", "--corpus", str(path), "-f", "json")[1].count('"id"') == 0
    code, out, err = _run(
        "ingest", "--corpus", str(path), "--source", "wire", "--keep-going", str(batch), "-f", "json"
    )
    assert code == 1
    document = json.loads(out)
    assert len(document["added"]) == 3 and len(document["refused"]) == 2
    refused = [line for line in err.splitlines() if line.startswith("refused: ")]
    assert len(refused) == 2 and any("empty.txt" in line for line in refused)
    assert any("scan.txt" in line and "binary" in line for line in refused)
    log = subprocess.run(
        ["git", "-C", str(path), "log", "--oneline"], capture_output=True, text=True, check=True
    )
    assert len(log.stdout.splitlines()) == 2  # init, then the one commit of the good files


def test_log_of_a_revision_lists_the_history_up_to_it(sample: Path, tmp_path: Path) -> None:
    edited = tmp_path / SEED_002.name
    edited.write_text(SEED_002.read_text(encoding="utf-8").replace("$350 billion", "$400 billion"))
    assert _run("ingest", "--corpus", str(sample), "--source", "unattributed-002", str(edited))[0] == 0
    assert len(_run("log", "--corpus", str(sample), "002")[1].splitlines()) == 2
    code, out, _ = _run("log", "--corpus", str(sample), "002@1")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["@1"]
    code, _, err = _run("log", "--corpus", str(sample), "002@7")
    assert code == 1 and "there is no revision 7" in err


def test_files_with_non_latin_names_stay_distinct_articles(tmp_path: Path) -> None:
    """Without an id or URL a file's name is its identity: names that slugify alike ("北京",
    "上海" and "서울" all to "x"; "Ünïcode" to "unicode") are still different articles, never
    revisions of one another."""
    path = tmp_path / "c"
    _run("init", str(path))
    batch = tmp_path / "batch"
    batch.mkdir()
    for k, name in enumerate(["北京", "上海", "서울", "Ünïcode", "unicode"]):
        (batch / f"{name}.txt").write_text(
            f"Story {k}\n\nThe harbour in town {k} reopened after repairs to its pier.\n"
        )
    code, out, err = _run("ingest", "--corpus", str(path), "--source", "wire", str(batch), "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    assert len(document["added"]) == 5 and document["revised"] == []
    code, out, _ = _run("ingest", "--corpus", str(path), "--source", "wire", str(batch))
    assert out.startswith("5 unchanged")  # and the same names find the same articles again
