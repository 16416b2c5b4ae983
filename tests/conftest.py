"""Shared fixtures: the bundled seed articles and fresh corpora in tmp_path (never the project repo)."""

from __future__ import annotations

import os
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from provdiff import api
from provdiff.store import Corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus"
SEED_000 = SAMPLE / "000_570e932772899b8b.txt"
SEED_002 = SAMPLE / "002_ebc0afa3816657dc.txt"
SEED_004 = SAMPLE / "004_8cc0ab10a7fade2c.txt"


class QuietServer(ThreadingHTTPServer):
    """The local HTTP server of the fetch and watch tests. A client that hangs up early (size limit,
    timeout) is expected there, not a server error to print: printed, it would land in the output of
    whatever command runs at that moment."""

    def handle_error(self, *_: object) -> None:
        return


settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see no user or system git configuration and never find a corpus above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("PROVDIFF_CORPUS", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    """An empty corpus in tmp_path."""
    return api.init(tmp_path / "corpus")


@pytest.fixture
def sample_corpus(corpus: Corpus) -> Corpus:
    """A corpus holding the three bundled seed articles, ingested through the manifest."""
    api.ingest(corpus, api.collect_inputs([], SAMPLE / "manifest.toml", api.Metadata(), None, None))
    return corpus


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/<name>``; ``--update-golden`` rewrites the file instead."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.is_file(), f"missing golden file {name}; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8")

    return check
