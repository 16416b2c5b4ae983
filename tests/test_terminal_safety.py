"""Article text never drives the reader's terminal: escape sequences planted in a page (OSC
window titles and links, CSI screen clears, C1 controls) are cleaned at ingest, and whatever
reaches the terminal holds no control character but line breaks, tabs and provdiff's own colours."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.store import Corpus

runner = CliRunner()
PAGE = (
    "<html><head><title>T&#27;]0;PWNED&#7;</title></head><body><article>"
    "<h1>Port &#27;]0;PWNED&#7; news</h1>"
    "<p>The port &#27;]8;;http://evil.example/&#27;\\reopened&#27;]8;;&#27;\\ on Monday &#27;[2J"
    " after repairs to the northern pier, officials said.</p>"
    "<p>Ferries resumed their timetable in the afternoon &#27;]52;c;ZXZpbA==&#7;as crews cheered.</p>"
    "</article></body></html>"
)
RECORD = {
    "id": "1",
    "title": "Wire \u001b]0;PWNED\u0007 story",
    "source": "wire\u009b31m",
    "text": "The port \u009b2Jreopened on Monday after repairs \u009d0;PWNED\u009c to the pier, "
    "officials said.",
}
# anything a terminal would act on, except an SGR colour sequence (ESC [ n ; n m)
UNSAFE = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]")


@pytest.fixture
def planted(corpus: Corpus, tmp_path: Path) -> Corpus:
    page, record = tmp_path / "port.html", tmp_path / "wire.jsonl"
    page.write_text(PAGE, encoding="utf-8")
    record.write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    for args in (["--source", "daily", str(page)], [str(record)]):
        done = runner.invoke(app, ["ingest", "--corpus", str(corpus.root), *args])
        assert done.exit_code == 0, done.output
    return corpus


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "port"],
        ["show", "port", "-f", "json"],
        ["show", "31m/"],
        ["claims", "--explain"],
        ["claims", "-f", "json"],
        ["blame", "port"],
        ["diff", "port", "31m/", "--color", "always"],
        ["report"],
        ["audit"],
    ],
)
def test_no_planted_control_sequence_reaches_the_output(planted: Corpus, command: list[str]) -> None:
    done = runner.invoke(app, [*command, "--corpus", str(planted.root)])
    assert done.exit_code in (0, 1), done.output
    assert not UNSAFE.search(done.stdout), repr(UNSAFE.search(done.stdout))
    assert "PWNED" in done.stdout or command[0] in ("audit", "blame", "claims", "diff", "report")


def test_the_colours_of_a_diff_survive(corpus: Corpus, tmp_path: Path) -> None:
    story = tmp_path / "pier.txt"
    root = str(corpus.root)
    for cost in ("$2.5 million", "$4 million"):
        story.write_text(f"Port\n\nRepairs to the northern pier will cost {cost}, officials said.\n")
        assert runner.invoke(app, ["ingest", "--corpus", root, "--source", "tide", str(story)]).exit_code == 0
    done = runner.invoke(app, ["diff", "--corpus", root, "pier@1", "pier@2", "--color", "always"])
    assert done.exit_code == 1, done.output
    assert "\x1b[" in done.stdout and not UNSAFE.search(done.stdout)  # provdiff's own SGR colours stay
