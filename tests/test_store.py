"""The store stage against real git repositories in tmp_path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff import api
from provdiff.errors import (
    CorpusDirtyError,
    CorpusExistsError,
    CorpusNotFoundError,
    EmptyInputError,
    NotFoundError,
)
from provdiff.model import Action, Article, Format, IngestOutcome, Metadata, RepairEvent, RevisionKind
from provdiff.store import Corpus
from tests.conftest import SAMPLE


def _git(corpus: Corpus, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(corpus.root), *args], check=True, capture_output=True, text=True
    ).stdout


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(corpus: Corpus, *paths: Path, source: str = "wire", url: str | None = None) -> IngestOutcome:
    items = api.collect_inputs([str(p) for p in paths], None, Metadata(source=source, url=url), None, None)
    return api.ingest(corpus, items)


STORY = "Harbour reopens\n\nThe harbour reopened on Saturday.\n\nRepairs will cost 2.5 million euros.\n"


def test_init_makes_a_git_corpus_with_its_files(tmp_path: Path) -> None:
    corpus = api.init(tmp_path / "c")
    for name in (".gitattributes", ".gitignore", "provdiff.toml"):
        assert (corpus.root / name).is_file()
    assert (corpus.root / ".provdiff").is_dir()
    assert _git(corpus, "status", "--porcelain") == ""  # state dir is ignored
    assert _git(corpus, "rev-list", "--count", "HEAD").strip() == "1"
    with pytest.raises(CorpusExistsError):
        api.init(tmp_path / "c")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CorpusExistsError, match="not empty"):
        api.init(tmp_path / "full")


def test_corpus_is_found_from_a_subdirectory_like_git(corpus: Corpus, tmp_path: Path) -> None:
    inner = corpus.root / "articles" / "deep"
    inner.mkdir(parents=True)
    assert api.open_corpus(None, inner).root == corpus.root
    with pytest.raises(CorpusNotFoundError, match="provdiff init"):
        api.open_corpus(None, tmp_path / "elsewhere")
    with pytest.raises(CorpusNotFoundError):
        api.open_corpus(tmp_path, tmp_path)


def test_sample_batch_is_one_commit_with_trailers(sample_corpus: Corpus) -> None:
    assert _git(sample_corpus, "rev-list", "--count", "HEAD").strip() == "2"
    message = _git(sample_corpus, "log", "-1", "--format=%B")
    trailers = _git(sample_corpus, "log", "-1", "--format=%(trailers:only,unfold)")
    assert message.startswith("Ingest 3 articles: 3 added")
    assert "Ingested-By: provdiff" in trailers
    assert "Source: koreapro" in trailers and "Source: unattributed-002" in trailers
    ids = sample_corpus.article_ids()
    assert len(ids) == 3
    for article_id in ids:
        stored = _git(sample_corpus, "ls-tree", "--name-only", f"HEAD:articles/{article_id}").split()
        assert stored == ["raw", "record.json", "text.md"]
        # the work tree shows the normalized text only (sparse checkout); the rest is in history
        assert [p.name for p in (sample_corpus.root / "articles" / article_id).iterdir()] == ["text.md"]
    raws = sorted(sample_corpus.load(i).raw for i in ids)
    assert raws == sorted(p.read_bytes() for p in SAMPLE.glob("0*.txt"))  # raw bytes kept exactly


def test_text_file_reads_paragraph_by_paragraph(sample_corpus: Corpus) -> None:
    (kp,) = [i for i in sample_corpus.article_ids() if i.startswith("koreapro/")]
    text = (sample_corpus.root / "articles" / kp / "text.md").read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    assert head.startswith('---\nid: "koreapro/')
    assert 'published: "2025-02-16T23:00:33Z"' in head
    assert body.strip().split("\n\n")[2] == "WHY IT MATTERS"


def test_identical_content_makes_no_commit(corpus: Corpus, tmp_path: Path) -> None:
    story = _file(tmp_path, "story.txt", STORY)
    first = _ingest(corpus, story)
    assert first.commit is not None and len(first.added) == 1
    again = _ingest(corpus, story)
    assert again.commit is None
    assert again.unchanged == first.added
    assert _git(corpus, "rev-list", "--count", "HEAD").strip() == "2"


def test_changed_article_becomes_revision_two(corpus: Corpus, tmp_path: Path) -> None:
    story = _file(tmp_path, "story.txt", STORY)
    (article_id,) = _ingest(corpus, story).added
    story.write_text(STORY.replace("2.5 million", "3 million"), encoding="utf-8")
    outcome = _ingest(corpus, story)
    assert outcome.updated == (article_id,)
    revisions = corpus.revisions(article_id)
    assert [(r.number, r.kind) for r in revisions] == [(1, RevisionKind.FIRST), (2, RevisionKind.UPDATE)]
    assert "2.5 million" in corpus.load(article_id, revisions[0].commit).paragraphs[1]
    assert "3 million" in corpus.load(article_id).paragraphs[1]
    assert _git(corpus, "log", "-1", "--format=%s").startswith(f"Revise {article_id}")


def test_identity_follows_url_not_file_name(corpus: Corpus, tmp_path: Path) -> None:
    one = _file(tmp_path, "a.txt", STORY)
    two = _file(tmp_path, "b.txt", STORY.replace("Saturday", "Sunday"))
    (first,) = _ingest(corpus, one, url="https://tide.example/harbour").added
    outcome = _ingest(corpus, two, url="https://TIDE.example/harbour/?utm_source=feed")
    assert outcome.updated == (first,)


def test_metadata_only_change_is_its_own_kind(corpus: Corpus, tmp_path: Path) -> None:
    story = _file(tmp_path, "story.txt", STORY)
    (article_id,) = _ingest(corpus, story).added
    items = api.collect_inputs(
        [str(story)], None, Metadata(source="wire", published="2025-01-05"), None, None
    )
    outcome = api.ingest(corpus, items)
    assert outcome.metadata == (article_id,)
    assert corpus.revisions(article_id)[-1].kind is RevisionKind.METADATA


def test_same_raw_bytes_new_reading_is_a_reextraction(corpus: Corpus, tmp_path: Path) -> None:
    story = _file(tmp_path, "story.md", "# Title\n\nFirst *para*.\n\nSecond para.\n")
    (article_id,) = _ingest(corpus, story).added
    items = api.collect_inputs([str(story)], None, Metadata(source="wire"), Format.TEXT, None)
    outcome = api.ingest(corpus, items)  # same bytes read by another reader: different paragraphs
    assert outcome.reextracted == (article_id,)
    record = _git(corpus, "show", f"HEAD:articles/{article_id}/record.json")
    assert '"kind": "re-extraction"' in record


def test_many_files_are_one_commit_and_repeats_chain(corpus: Corpus, tmp_path: Path) -> None:
    files = [_file(tmp_path, f"s{n}.txt", STORY.replace("Saturday", f"day {n}")) for n in range(25)]
    outcome = _ingest(corpus, *files)
    assert len(outcome.added) == 25
    assert _git(corpus, "rev-list", "--count", "HEAD").strip() == "2"
    # Two versions of one article in one batch: two commits, in order, in one atomic run.
    v1 = _file(tmp_path, "v1.txt", STORY)
    v2 = _file(tmp_path, "v2.txt", STORY.replace("Saturday", "Sunday"))
    items = [
        api.IngestInput(name=str(p), path=p, meta=Metadata(source="wire", native_id="story-9"))
        for p in (v1, v2)
    ]
    outcome = api.ingest(corpus, items)
    assert len(outcome.added) == 1 and len(outcome.updated) == 1
    assert len(corpus.revisions(outcome.added[0])) == 2
    assert _git(corpus, "rev-list", "--count", "HEAD").strip() == "4"


def test_failing_batch_leaves_corpus_exactly_as_it_was(sample_corpus: Corpus, tmp_path: Path) -> None:
    before_head = _git(sample_corpus, "rev-parse", "HEAD")
    good = _file(tmp_path, "good.txt", STORY)
    empty = _file(tmp_path, "empty.txt", "")
    with pytest.raises(EmptyInputError, match=r"empty\.txt"):
        _ingest(sample_corpus, good, empty)
    assert _git(sample_corpus, "rev-parse", "HEAD") == before_head
    assert _git(sample_corpus, "status", "--porcelain", "--untracked-files=all") == ""
    assert not list(sample_corpus.root.glob("articles/wire"))


def test_dirty_corpus_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    story = _file(tmp_path, "story.txt", STORY)
    (article_id,) = _ingest(corpus, story).added
    text = corpus.root / "articles" / article_id / "text.md"
    text.write_text(text.read_text() + "hand edit\n")
    story.write_text(STORY + "\nMore.\n")
    with pytest.raises(CorpusDirtyError, match="uncommitted changes"):
        _ingest(corpus, story)
    assert text.read_text().endswith("hand edit\n")  # the user's edit is not overwritten


def test_interrupted_worktree_sync_is_finished_by_the_next_write(corpus: Corpus, tmp_path: Path) -> None:
    """A crash after fast-import committed but before the work tree was updated."""
    story = _file(tmp_path, "story.txt", STORY)
    old = _git(corpus, "rev-parse", "HEAD").strip()
    _ingest(corpus, story)
    _git(corpus, "read-tree", "-m", "-u", "HEAD", old)  # undo the work-tree sync
    (corpus.state_dir / "pending-sync").write_text(old)
    other = _file(tmp_path, "other.txt", STORY.replace("harbour", "port"))
    _ingest(corpus, other)
    assert _git(corpus, "status", "--porcelain", "--untracked-files=all") == ""
    assert len(list(corpus.root.glob("articles/wire/*/text.md"))) == 2


def test_unknown_article_and_revision(sample_corpus: Corpus) -> None:
    with pytest.raises(NotFoundError, match="no article matches"):
        api.find_article(sample_corpus, "nothing-like-this")
    with pytest.raises(NotFoundError, match="matches 2 articles"):
        api.find_article(sample_corpus, "00")
    with pytest.raises(NotFoundError, match="no revision 5"):
        api.resolve(sample_corpus, api.parse_ref("002@5"))
    with pytest.raises(NotFoundError, match="no commit"):
        api.resolve(sample_corpus, api.parse_ref("002@deadbeef"))


def test_revision_by_commit(corpus: Corpus, tmp_path: Path) -> None:
    story = _file(tmp_path, "story.txt", STORY)
    first = _ingest(corpus, story)
    _ingest(corpus, _file(tmp_path, "unrelated.txt", STORY.replace("harbour", "airport")))
    story.write_text(STORY.replace("Saturday", "Sunday"), encoding="utf-8")
    _ingest(corpus, story)
    assert first.commit is not None
    article, revision = api.resolve(corpus, api.parse_ref(f"{first.added[0]}@HEAD~1"))
    assert revision.number == 1
    assert "Saturday" in article.paragraphs[0]
    article, revision = api.resolve(corpus, api.parse_ref(f"{first.added[0]}@{first.commit[:10]}"))
    assert revision.number == 1


paragraph_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"], blacklist_characters="\x85"),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
meta_text = st.none() | st.text(max_size=40).map(lambda s: " ".join(s.split()) or None)


@given(
    paragraphs=st.lists(paragraph_text, min_size=1, max_size=6),
    title=paragraph_text,
    url=meta_text,
    raw=st.binary(min_size=1, max_size=200),
    detail=st.text(max_size=30),
)
def test_store_then_load_gives_the_same_article(
    tmp_path_factory: pytest.TempPathFactory,
    paragraphs: list[str],
    title: str,
    url: str | None,
    raw: bytes,
    detail: str,
) -> None:
    corpus = Corpus.create(tmp_path_factory.mktemp("rt") / "c")
    article = Article(
        article_id="src/a-1",
        meta=Metadata(source="src", title=title, url=url, published="2025-01-01"),
        format=Format.TEXT,
        paragraphs=tuple(paragraphs),
        repairs=(RepairEvent("boilerplate", Action.REMOVED, detail, before="x\ny", position=3),),
        raw=raw,
        origin="in.txt",
    )
    corpus.write([article])
    assert corpus.load("src/a-1") == article


def test_git_fsck_accepts_the_corpus(sample_corpus: Corpus) -> None:
    repo = git.Repo(sample_corpus.root)
    repo.git.fsck("--strict")


def test_ingest_reports_progress_once_per_input(corpus: Corpus, tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for number in range(5):
        (folder / f"s{number}.txt").write_text(f"Story {number}\n\nBody text number {number} here.\n")
    ticks: list[int] = []
    items = api.collect_inputs([str(folder)], None, api.Metadata(source="wire"), None, None)
    outcome = api.ingest(corpus, items, progress=ticks.append)
    assert ticks == [1] * 5
    assert len(outcome.added) == 5


@pytest.mark.parametrize("kept", [4096, 1])
def test_a_later_version_in_one_batch_is_compared_with_the_earlier_one_read_back(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    """A batch keeps the paragraphs of its last few articles only; an earlier version of an article
    whose paragraphs were let go is read back from fast-import, and the batch records the same."""
    monkeypatch.setattr("provdiff.store.writer._PARAGRAPHS_KEPT", kept)
    first = "The port will hire 1,200 welders. Unions agreed."
    second = "The port will hire 1,500 welders. Unions agreed. The mayor spoke."
    records = [{"id": "port", "title": "Port", "source": "wire", "text": first}]
    notes = [{"id": f"n{k}", "title": f"N{k}", "source": "wire", "text": f"Note {k} ran."} for k in range(3)]
    records += notes
    records.append({"id": "port", "title": "Port", "source": "wire", "text": second})
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    outcome = api.ingest(corpus, api.collect_inputs([str(batch)], None, Metadata(), None, None))
    assert len(outcome.added) == 4
    assert outcome.updated == outcome.added[:1]
    log = _git(corpus, "log", "-1", "--format=%B")
    assert "(claims +2 -1)" in log  # the second version against the first, not against nothing
    assert corpus.load(outcome.updated[0]).paragraphs == (second,)


def test_listings_read_in_bulk_give_each_article_its_own_text(corpus: Corpus, tmp_path: Path) -> None:
    """``summaries`` and ``current`` read every text with one ``cat-file --batch`` per chunk: each
    row must still carry its own article's metadata, in id order, chunk boundaries included."""
    items = [
        api.IngestInput(
            name=str(path), path=path, meta=Metadata(source="wire", native_id=native, title=f"Title {native}")
        )
        for native in ("story", "story-2", "story-2-b", "other")
        for path in [_file(tmp_path, f"{native}.txt", STORY.replace("Saturday", native))]
    ]
    api.ingest(corpus, items)
    ids = corpus.article_ids()
    titles = [corpus.load(article_id).meta.title for article_id in ids]
    summaries = corpus.summaries()
    assert [(article_id, meta.title) for article_id, meta, _ in summaries] == list(
        zip(ids, titles, strict=True)
    )
    assert len(set(titles)) == 4
    for chunk in (1, 3, 2000):
        assert [(text.article_id, text.meta.title) for text in corpus.current(chunk)] == list(
            zip(ids, titles, strict=True)
        )
