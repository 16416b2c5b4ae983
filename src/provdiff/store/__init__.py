"""Stage ``store``: articles to and from the git corpus. The only module that imports git.

A write is atomic at the level of git history: every file of an ingest run is streamed into one
``git fast-import`` process, which updates the branch only when it reaches the ``done`` command at the
end of the stream. A process killed mid-way leaves the branch where it was (fast-import sees its
input end early and aborts). The work tree is brought up to date afterwards with ``git read-tree``;
a journal file in the state directory lets the next writer finish that step if a crash interrupted it.

Numbering: revision ``n`` of an article is the ``n``-th commit, oldest first, that changed its
``text.md``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import git

from provdiff import __version__
from provdiff.errors import (
    CorpusDirtyError,
    CorpusError,
    CorpusExistsError,
    CorpusNotFoundError,
    NotFoundError,
)
from provdiff.model import Article, IngestOutcome, Metadata, Revision, RevisionKind
from provdiff.store.layout import (
    ARTICLES_DIR,
    RAW_NAME,
    RECORD_NAME,
    TEXT_NAME,
    Record,
    article_dir,
    assemble,
    parse_record,
    parse_text,
    render_record,
    render_text,
)
from provdiff.store.lock import corpus_lock
from provdiff.store.message import commit_message

__all__ = ["Corpus", "MARKER"]

MARKER = "provdiff.toml"
STATE_DIR = ".provdiff"
_PENDING = "pending-sync"
_BRANCH = "main"
_GITATTRIBUTES = """\
# provdiff corpus: normalized text diffs as text, raw bytes never diffed or converted
articles/**/text.md text eol=lf
articles/**/record.json text eol=lf
articles/**/raw -text -diff -merge
"""
_FALLBACK_IDENT = ("provdiff", "provdiff@localhost")


def _blob_sha(data: bytes) -> str:
    """The object id git gives ``data`` as a blob, to compare with stored files without reading them."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class _Change:
    article: Article
    kind: RevisionKind
    text: bytes
    record: bytes
    raw: bytes | None  # None when the raw bytes did not change


@dataclass
class _Generation:
    """One commit's worth of changes: at most one version of each article."""

    changes: list[_Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class Corpus:
    """A provdiff corpus: a git repository whose ``articles/`` tree holds every article version."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.repo = git.Repo(root)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise CorpusNotFoundError(
                f"{root} has {MARKER} but is not a git repository; re-create it with provdiff init"
            ) from exc

    @property
    def state_dir(self) -> Path:
        """Ignored directory for derived state (index, lock, journal); safe to delete."""
        return self.root / STATE_DIR

    # -- creation and discovery -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path) -> Corpus:
        """Make a new corpus at ``path`` (which must not exist or be an empty directory)."""
        if (path / MARKER).exists():
            raise CorpusExistsError(f"{path} is already a provdiff corpus; use it as it is")
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise CorpusExistsError(
                f"{path} exists and is not empty; choose a new directory for the corpus"
            )
        path.mkdir(parents=True, exist_ok=True)
        repo = git.Repo.init(path, initial_branch=_BRANCH)
        (path / ".gitattributes").write_text(_GITATTRIBUTES)
        (path / ".gitignore").write_text(f"/{STATE_DIR}/\n")
        (path / MARKER).write_text(
            "# provdiff corpus settings\n[corpus]\nschema = 1\n"
        )
        repo.index.add([".gitattributes", ".gitignore", MARKER])
        name, email = _identity(repo)
        actor = git.Actor(name, email)
        repo.index.commit(
            f"Create provdiff corpus\n\nIngested-By: provdiff {__version__}",
            author=actor,
            committer=actor,
        )
        corpus = cls(path)
        corpus.state_dir.mkdir(exist_ok=True)
        return corpus

    @classmethod
    def find(cls, explicit: Path | None, start: Path) -> Corpus:
        """The corpus at ``explicit``, else the nearest one at or above ``start`` (like git)."""
        if explicit is not None:
            if not (explicit / MARKER).is_file():
                raise CorpusNotFoundError(
                    f"{explicit} is not a provdiff corpus; create one with: provdiff init {explicit}"
                )
            return cls(explicit)
        for candidate in (start, *start.parents):
            if (candidate / MARKER).is_file() and (candidate / ".git").exists():
                return cls(candidate)
        raise CorpusNotFoundError(
            f"no provdiff corpus at or above {start}; pass --corpus PATH, set PROVDIFF_CORPUS, "
            "or create one with: provdiff init PATH"
        )

    # -- writing ----------------------------------------------------------------------------

    def write(self, articles: Sequence[Article], origin_note: str = "") -> IngestOutcome:
        """Store a batch: new articles and new revisions in one commit (one per repeated article).

        Articles whose text is identical to their stored revision are skipped; a batch with nothing
        new makes no commit.
        """
        with corpus_lock(self.state_dir):
            self._finish_interrupted_sync()
            self._require_clean()
            old = self._head()
            generations = self._plan(articles, old)
            outcome = _outcome(generations, None)
            if not any(g.changes for g in generations):
                return outcome
            journal = self.state_dir / _PENDING
            journal.write_text(old)
            self._fast_import(generations, old, origin_note)
            new = self._head()
            self._sync_worktree(old, new)
            journal.unlink()
            return _outcome(generations, new)

    def _plan(self, articles: Sequence[Article], head: str) -> list[_Generation]:
        now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        latest: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # id -> (text sha, raw sha, paras)
        generations: list[_Generation] = []
        seen_in: dict[str, int] = {}
        for article in articles:
            number = seen_in.get(article.article_id, -1) + 1
            seen_in[article.article_id] = number
            while len(generations) <= number:
                generations.append(_Generation())
            generation = generations[number]
            text = render_text(article)
            text_sha, raw_sha = _blob_sha(text), _blob_sha(article.raw)
            previous = latest.get(article.article_id) or self._stored(head, article.article_id)
            latest[article.article_id] = (text_sha, raw_sha, article.paragraphs)
            if previous is not None and previous[0] == text_sha:
                generation.unchanged.append(article.article_id)
                continue
            if previous is None:
                kind = RevisionKind.FIRST
            elif previous[2] == article.paragraphs:
                kind = RevisionKind.METADATA
            elif previous[1] == raw_sha:
                kind = RevisionKind.REEXTRACT
            else:
                kind = RevisionKind.UPDATE
            record = Record(
                format=article.format,
                origin=article.origin,
                kind=kind,
                ingested_at=now,
                reader=f"provdiff {__version__}",
                repairs=article.repairs,
            )
            generation.changes.append(
                _Change(
                    article=article,
                    kind=kind,
                    text=text,
                    record=render_record(record),
                    raw=None if previous is not None and previous[1] == raw_sha else article.raw,
                )
            )
        return generations

    def _stored(self, head: str, article_id: str) -> tuple[str, str, tuple[str, ...]] | None:
        base = article_dir(article_id)
        try:
            text_sha = self.repo.git.get_object_header(f"{head}:{base}/{TEXT_NAME}")[0].decode()
            raw_sha = self.repo.git.get_object_header(f"{head}:{base}/{RAW_NAME}")[0].decode()
        except ValueError:
            return None
        _, _, paragraphs = parse_text(self._blob(text_sha), f"{base}/{TEXT_NAME}")
        return text_sha, raw_sha, paragraphs

    def _fast_import(self, generations: list[_Generation], old: str, origin_note: str) -> None:
        name, email = _identity(self.repo)
        stamp = int(datetime.now(UTC).timestamp())
        process = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done"],
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert process.stdin is not None
        try:
            _write_stream(process.stdin, generations, old, (name, email, stamp), origin_note)
            process.stdin.close()
        except BrokenPipeError:
            pass
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        if process.wait() != 0:
            raise CorpusError(f"git fast-import failed, the corpus is unchanged: {error.strip()}")

    def _sync_worktree(self, old: str, new: str) -> None:
        self.repo.git.read_tree("-m", "-u", old, new)

    def _finish_interrupted_sync(self) -> None:
        """Complete the work-tree update of a write that was killed after its commit landed."""
        journal = self.state_dir / _PENDING
        if not journal.exists():
            return
        old = journal.read_text().strip()
        if old and old != self._head():
            self._sync_worktree(old, self._head())
        journal.unlink()

    def _require_clean(self) -> None:
        status = self.repo.git.status("--porcelain", "--untracked-files=all", "--", ARTICLES_DIR)
        if status.strip():
            first = status.splitlines()[0]
            raise CorpusDirtyError(
                f"the corpus at {self.root} has uncommitted changes ({first.strip()} ...); commit or "
                "discard them (git -C CORPUS stash -u) before ingesting"
            )

    def _head(self) -> str:
        return self.repo.git.rev_parse(f"refs/heads/{_BRANCH}")

    def _blob(self, sha: str) -> bytes:
        _, _, _, stream = self.repo.git.stream_object_data(sha)
        data: bytes = stream.read()
        return data

    # -- reading ----------------------------------------------------------------------------

    def article_ids(self, commit: str = "HEAD") -> list[str]:
        """Every article id present at ``commit``, sorted."""
        listing = self.repo.git.ls_tree("-r", "--name-only", commit, "--", f"{ARTICLES_DIR}/")
        prefix, suffix = f"{ARTICLES_DIR}/", f"/{TEXT_NAME}"
        return sorted(
            path[len(prefix) : -len(suffix)] for path in listing.splitlines() if path.endswith(suffix)
        )

    def summaries(self) -> list[tuple[str, Metadata, int]]:
        """(id, metadata, number of revisions) of every article at HEAD, from two git commands."""
        counts: dict[str, int] = {}
        names = self.repo.git.log("--format=", "--name-only", "--", f"{ARTICLES_DIR}/")
        suffix = f"/{TEXT_NAME}"
        for path in names.splitlines():
            if path.endswith(suffix):
                key = path[len(ARTICLES_DIR) + 1 : -len(suffix)]
                counts[key] = counts.get(key, 0) + 1
        out = []
        for article_id in self.article_ids():
            path = f"{article_dir(article_id)}/{TEXT_NAME}"
            _, meta, _ = parse_text(self._file("HEAD", path), path)
            out.append((article_id, meta, counts.get(article_id, 0)))
        return out

    def revisions(self, article_id: str, upto: str = "HEAD") -> list[Revision]:
        """The revisions of an article up to commit ``upto``, oldest first.

        Raises ``NotFoundError`` if the article had no revision by then.
        """
        path = f"{article_dir(article_id)}/{TEXT_NAME}"
        log = self.repo.git.log("--format=%H %cI", "--reverse", upto, "--", path)
        revisions = []
        for number, line in enumerate(log.splitlines(), start=1):
            commit, committed_at = line.split(" ", 1)
            record = parse_record(self._file(commit, f"{article_dir(article_id)}/{RECORD_NAME}"))
            revisions.append(Revision(article_id, number, commit, committed_at, record.kind))
        if not revisions:
            raise NotFoundError(f"article {article_id!r} has no revision at {upto}; see provdiff list")
        return revisions

    def load(self, article_id: str, commit: str = "HEAD") -> Article:
        """The article as it was at ``commit``."""
        base = article_dir(article_id)
        try:
            text = self._file(commit, f"{base}/{TEXT_NAME}")
        except NotFoundError:
            raise NotFoundError(
                f"article {article_id!r} does not exist at {commit}; see provdiff log {article_id}"
            ) from None
        record = parse_record(self._file(commit, f"{base}/{RECORD_NAME}"))
        return assemble(text, record, self._file(commit, f"{base}/{RAW_NAME}"), f"{base}/{TEXT_NAME}")

    def resolve_commit(self, rev: str) -> str:
        """A full commit id for a commit-ish, or ``NotFoundError``."""
        if rev.startswith("-"):
            raise NotFoundError(f"{rev!r} is not a revision; use a number or a commit id")
        try:
            return self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except git.GitCommandError as exc:
            raise NotFoundError(f"no commit {rev!r} in the corpus; see provdiff log ARTICLE") from exc

    def _file(self, commit: str, path: str) -> bytes:
        try:
            sha = self.repo.git.get_object_header(f"{commit}:{path}")[0].decode()
        except ValueError as exc:
            raise NotFoundError(f"{path} not found at {commit}") from exc
        return self._blob(sha)


def _outcome(generations: list[_Generation], commit: str | None) -> IngestOutcome:
    def ids(kind: RevisionKind) -> tuple[str, ...]:
        return tuple(c.article.article_id for g in generations for c in g.changes if c.kind is kind)

    return IngestOutcome(
        commit=commit,
        added=ids(RevisionKind.FIRST),
        updated=ids(RevisionKind.UPDATE),
        reextracted=ids(RevisionKind.REEXTRACT),
        metadata=ids(RevisionKind.METADATA),
        unchanged=tuple(a for g in generations for a in g.unchanged),
    )


def _write_stream(
    out: IO[bytes],
    generations: list[_Generation],
    old: str,
    ident: tuple[str, str, int],
    origin_note: str,
) -> None:
    name, email, stamp = ident
    out.write(b"feature done\n")
    first = True
    for generation in generations:
        if not generation.changes:
            continue
        message = commit_message([(c.article, c.kind) for c in generation.changes], origin_note)
        encoded = message.encode("utf-8")
        out.write(f"commit refs/heads/{_BRANCH}\n".encode())
        out.write(f"committer {name} <{email}> {stamp} +0000\n".encode())
        out.write(b"data %d\n%s\n" % (len(encoded), encoded))
        if first:
            out.write(f"from {old}\n".encode())
            first = False
        for change in generation.changes:
            base = article_dir(change.article.article_id)
            for filename, data in _files(change):
                out.write(f"M 100644 inline {base}/{filename}\n".encode())
                out.write(b"data %d\n" % len(data))
                out.write(data)
                out.write(b"\n")
    out.write(b"done\n")


def _files(change: _Change) -> Iterator[tuple[str, bytes]]:
    yield TEXT_NAME, change.text
    yield RECORD_NAME, change.record
    if change.raw is not None:
        yield RAW_NAME, change.raw


def _identity(repo: git.Repo) -> tuple[str, str]:
    """The committer: the user's git identity when configured, else ``provdiff``.

    Names and emails are reduced to characters that cannot break the fast-import header line.
    """
    reader = repo.config_reader()
    name = str(reader.get_value("user", "name", _FALLBACK_IDENT[0]))
    email = str(reader.get_value("user", "email", _FALLBACK_IDENT[1]))
    env_name, env_email = os.environ.get("GIT_COMMITTER_NAME"), os.environ.get("GIT_COMMITTER_EMAIL")
    name, email = env_name or name, env_email or email
    safe_name = "".join(c for c in name if c not in "<>\n\r\0").strip() or _FALLBACK_IDENT[0]
    safe_email = "".join(c for c in email if c not in "<>\n\r\0 ").strip() or _FALLBACK_IDENT[1]
    return safe_name, safe_email
