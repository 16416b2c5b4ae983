"""Habits of git and diff(1) that users bring, checked on the installed console script: one-line
usage errors, ``-h``, filters that name nothing the corpus holds, unwritable ``-o``, and a
start-up that keeps the heavy pipeline out of ``--help`` and git's drivers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from provdiff.store import Corpus

SCRIPT = str(Path(sys.executable).parent / "provdiff")
# what a command that never touches the corpus must not execute (lazy placeholders do not count)
HEAVY = ("git", "numpy", "lxml", "rapidfuzz", "httpx", "pydantic", "rich", "sqlite3", "provdiff.api")


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PROVDIFF_CORPUS"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, cwd=cwd, env=env, check=False)


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["diff", "--nosuch"], "see provdiff diff --help"),
        (["nosuch"], "see provdiff --help"),
        (["claims", "--status", "bogus"], "see provdiff claims --help"),
        (["diff", "000"], "see provdiff diff --help"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], hint: str) -> None:
    done = _run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: ") and hint in done.stderr


def test_h_is_help_everywhere() -> None:
    for args in (["-h"], ["claims", "-h"], ["diff", "--help"]):
        done = _run(*args)
        assert done.returncode == 0 and done.stdout.startswith("Usage: provdiff"), args


def test_filters_naming_nothing_are_errors_with_close_names(sample_corpus: Corpus) -> None:
    root = str(sample_corpus.root)
    typo = _run("claims", "--corpus", root, "--source", "koreapr")
    assert typo.returncode == 2 and "did you mean koreapro?" in typo.stderr and typo.stdout == ""
    nothing = _run("claims", "--corpus", root, "--article", "no-such-article")
    assert nothing.returncode == 2 and nothing.stderr.count("\n") == 1
    audit = _run("audit", "--corpus", root, "--source", "unatributed-002")
    assert audit.returncode == 2 and "did you mean unattributed-002?" in audit.stderr
    part = _run("claims", "--corpus", root, "--article", "002", "-f", "json")
    assert part.returncode == 0  # a unique part of an article id names it, as everywhere


def test_an_unwritable_output_is_one_line_and_leaves_nothing(sample_corpus: Corpus, tmp_path: Path) -> None:
    root, outputs = str(sample_corpus.root), tmp_path / "outputs"
    outputs.mkdir()
    for target in (outputs / "missing" / "x.html", outputs):
        done = _run("diff", "--corpus", root, "000", "002", "-f", "html", "-o", str(target))
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and f"cannot write {target}" in done.stderr
    assert list(outputs.iterdir()) == []


def _executed(code: str) -> list[str]:
    probe = (
        "import sys, atexit\n"
        "from provdiff.lazy import loaded\n"
        f"names = {HEAVY!r}\n"
        "report = lambda: sys.stderr.write('LOADED ' + ' '.join(m for m in names if loaded(m)) + '\\n')\n"
        "atexit.register(report)\n" + code
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))
    return line.split()[1:]


def test_help_and_git_drivers_keep_the_pipeline_out(sample_corpus: Corpus) -> None:
    """``--help`` and git's textconv filter run without git, numpy, lxml, rapidfuzz, pydantic or
    rich ever executing: they are most of a command's start-up (docs/performance.md)."""
    text = next(sample_corpus.root.glob("articles/*/*/text.md"))
    assert (
        _executed("import sys; sys.argv = ['provdiff', '--help']\nfrom provdiff.entry import main\nmain()")
        == []
    )
    argv = ["provdiff", "git-textconv", str(text)]
    textconv = f"import sys; sys.argv = {argv!r}\nfrom provdiff.entry import main\nmain()"
    assert _executed(textconv) == []


def test_the_git_drivers_answer_as_before(sample_corpus: Corpus) -> None:
    """The fast path gives what the typer commands give: one sentence per line, the word diff."""
    text = next(sample_corpus.root.glob("articles/*/*/text.md"))
    converted = _run("git-textconv", str(text))
    assert converted.returncode == 0 and converted.stdout.startswith("---\nid: ")
    assert _run("git-textconv").returncode == 2
    diffed = _run("git-diff", "articles/x/text.md", os.devnull, "0", "0", str(text), "1", "100644")
    assert diffed.returncode == 0 and diffed.stdout.startswith("diff --provdiff a/articles/x/text.md")
    missing = _run("git-diff", "p", "/nonexistent/a", "0", "0", str(text), "1", "100644")
    assert missing.returncode == 1 and missing.stderr.startswith("Error: cannot read /nonexistent/a")


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the console script with stdout on a pseudo-terminal; (exit status, what reached it)."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([SCRIPT, *args], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_long_output_goes_through_the_pager_on_a_terminal_and_never_in_pipes(
    sample_corpus: Corpus, tmp_path: Path
) -> None:
    """On a terminal the output goes to ``PROVDIFF_PAGER`` (here a pager that records what it
    got); ``--no-pager`` writes directly; a pipe never pages, whatever the settings say."""
    seen = tmp_path / "paged.txt"
    env = {
        **{k: v for k, v in os.environ.items() if k != "PROVDIFF_CORPUS"},
        "PROVDIFF_PAGER": f"sh -c 'cat > {seen}'",
        "PAGER": "false",
    }
    root = str(sample_corpus.root)
    code, terminal = _on_a_terminal(["claims", "--corpus", root], env)
    assert code == 0 and "group(s)" in seen.read_text(encoding="utf-8")
    assert "group(s)" not in terminal  # the pager had it, not the terminal
    seen.unlink()
    code, terminal = _on_a_terminal(["--no-pager", "claims", "--corpus", root], env)
    assert code == 0 and "group(s)" in terminal and not seen.exists()
    piped = subprocess.run(
        [SCRIPT, "claims", "--corpus", root], capture_output=True, text=True, env=env, check=False
    )
    assert piped.returncode == 0 and "group(s)" in piped.stdout and not seen.exists()
    env["PROVDIFF_PAGER"] = "no-such-pager-program"
    code, terminal = _on_a_terminal(["list", "--corpus", root], env)
    assert code == 0 and "koreapro/" in terminal  # a missing pager loses nothing


@pytest.mark.parametrize("command", [["list"], ["log", "002"], ["show", "002"], ["blame", "002"]])
def test_every_listing_writes_to_a_file_with_o(
    sample_corpus: Corpus, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "out.json"
    done = _run(*command, "--corpus", str(sample_corpus.root), "-f", "json", "-o", str(target))
    assert done.returncode == 0 and done.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"]


def test_o_writes_through_links_fifos_and_devices(sample_corpus: Corpus, tmp_path: Path) -> None:
    """``-o`` never replaces what is not a regular file: a symbolic link stays a link and its
    target gets the output, a FIFO is written to, a full device is one error line and stays a
    device (as root, a rename would have replaced ``/dev/full`` with a CSV)."""
    import stat
    import threading

    root = str(sample_corpus.root)
    target, link = tmp_path / "real.txt", tmp_path / "link.txt"
    target.write_text("old")
    link.symlink_to(target)
    assert _run("list", "--corpus", root, "-o", str(link)).returncode == 0
    assert link.is_symlink() and "koreapro/" in target.read_text()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert _run("list", "--corpus", root, "-o", str(fifo)).returncode == 0
    reader.join(timeout=30)
    assert "koreapro/" in received[0] and stat.S_ISFIFO(fifo.stat().st_mode)
    full = Path("/dev/full")
    if full.exists():
        done = _run("audit", "--corpus", root, "-f", "csv", "-o", str(full))
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and "No space left" in done.stderr
        assert stat.S_ISCHR(full.stat().st_mode)
