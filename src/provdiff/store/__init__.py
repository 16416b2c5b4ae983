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

import os
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from provdiff import __version__, lazy
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
    article_dir,
    assemble,
    parse_record,
    parse_text,
)

_STALE_AFTER = 5.0  # seconds: git's own commands hold index.lock for milliseconds

if TYPE_CHECKING:
    import git

    from provdiff.store import writer
    from provdiff.store.writer import BatchWriter, StoredVersion
else:  # gitpython and the writer's stages cost 80 ms to import; git's textconv and diff drivers
    # read one article file (``store.layout``) and need neither
    git, writer = lazy.module("git"), lazy.module("provdiff.store.writer")

__all__ = ["MARKER", "Corpus"]

MARKER = "provdiff.toml"
STATE_DIR = ".provdiff"
_PENDING = "pending-sync"
_BRANCH = "main"
_GITATTRIBUTES = """\
# provdiff corpus: normalized text diffs as text, raw bytes never diffed or converted
articles/**/text.md text eol=lf diff=provdiff
articles/**/record.json text eol=lf
articles/**/raw -text -diff -merge
"""
_DRIVER_ATTRIBUTE = "articles/**/text.md diff=provdiff"


@dataclass(frozen=True, slots=True)
class CurrentText:
    """An article's text at HEAD with what provenance needs: its revision count and first commit."""

    article_id: str
    meta: Metadata
    paragraphs: tuple[str, ...]
    revisions: int
    first_seen: str


_FALLBACK_IDENT = ("provdiff", "provdiff@localhost")


class Corpus:
    """A provdiff corpus: a git repository whose ``articles/`` tree holds every article version."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listings: dict[tuple[str, str], dict[str, str]] = {}  # (commit, source) -> entries
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
            raise CorpusExistsError(f"{path} exists and is not empty; choose a new directory for the corpus")
        path.mkdir(parents=True, exist_ok=True)
        repo = git.Repo.init(path, initial_branch=_BRANCH)
        (path / ".gitattributes").write_text(_GITATTRIBUTES)
        (path / ".gitignore").write_text(f"/{STATE_DIR}/\n")
        (path / MARKER).write_text("# provdiff corpus settings\n[corpus]\nschema = 1\n")
        # The work tree shows the normalized text only: raw bytes and repair records stay in history
        # (provdiff show --raw, git show), because writing three files per article to disk cost more
        # than the whole rest of an ingest (see docs/performance.md).
        repo.git.sparse_checkout("set", "--no-cone", "/*", "!/articles/*/*/raw", "!/articles/*/*/record.json")
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

    def setup_git(self, program: str) -> None:
        """Register provdiff as git's diff driver for article texts in this repository.

        ``program`` is the command line that runs provdiff (quoted for a shell). Git settings are
        not cloned, so a fresh clone needs this once (``provdiff git-setup``). The attribute also
        goes to ``.git/info/attributes``, so corpora made before it was in ``.gitattributes`` and
        clones of them get the driver without a commit.
        """
        with self.repo.config_writer() as config:
            config.set_value('diff "provdiff"', "command", f"{program} git-diff")
            config.set_value('diff "provdiff"', "textconv", f"{program} git-textconv")
            config.set_value('diff "provdiff"', "wordRegex", r"[^[:space:]]+")
        info = Path(self.repo.git_dir) / "info" / "attributes"
        info.parent.mkdir(parents=True, exist_ok=True)
        existing = info.read_text() if info.exists() else ""
        if _DRIVER_ATTRIBUTE not in existing.splitlines():
            info.write_text(
                existing
                + ("" if existing.endswith("\n") or not existing else "\n")
                + _DRIVER_ATTRIBUTE
                + "\n"
            )

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

    def writer(self, note: str = "", *, strict: bool = False) -> BatchWriter:
        """A batch: ``with corpus.writer() as w: w.add(article)``; one atomic commit on clean exit.

        ``strict``: a suspected extraction failure aborts the batch instead of being stored flagged.
        """
        return writer.BatchWriter(self, note, _identity(self.repo), strict)

    def write(self, articles: Iterable[Article], note: str = "", *, strict: bool = False) -> IngestOutcome:
        """Store a batch: new articles and new revisions in one commit (one per repeated article).

        Articles whose text is identical to their stored revision are skipped; a batch with nothing
        new makes no commit.
        """
        with self.writer(note, strict=strict) as batch:
            for article in articles:
                batch.add(article)
        assert batch.outcome is not None
        return batch.outcome

    @property
    def journal(self) -> Path:
        """Exists while a written batch's work-tree update is pending; holds the previous head."""
        return self.state_dir / _PENDING

    def stored(self, head: str, article_id: str) -> StoredVersion | None:
        """Object ids of an article's text and raw files at ``head`` (None for a new article).

        The source directory's listing is read once per head and kept: looking each article up by
        path made git parse that directory's tree (one entry per article of the source) for every
        article, a cost that grew with the corpus. Then the small article tree gives the files.
        """
        source, _, name = article_id.rpartition("/")
        key = (head, source)
        listing = self._listings.get(key)
        if listing is None:
            listing = self._listings[key] = self._tree(f"{head}:{article_dir(source)}") or {}
        sha = listing.get(name)
        entries = self._tree(sha) if sha else None
        if not entries or TEXT_NAME not in entries or RAW_NAME not in entries:
            return None
        return writer.StoredVersion(entries[TEXT_NAME], entries[RAW_NAME])

    def _tree(self, spec: str) -> dict[str, str] | None:
        """Name -> object id of the tree ``spec`` names, through git's persistent cat-file process."""
        try:
            _, kind, _, stream = self.repo.git.stream_object_data(spec)
        except ValueError:
            return None
        data = stream.read()
        if (kind.decode() if isinstance(kind, bytes) else kind) != "tree":
            return None
        return _tree_entries(data)

    def paragraphs(self, text_sha: str) -> tuple[str, ...]:
        """The paragraphs of a stored ``text.md`` blob."""
        return parse_text(self._blob(text_sha), text_sha)[2]

    def sync_worktree(self, old: str, new: str) -> None:
        """Bring the work tree from commit ``old`` to ``new``. The commit has landed by then: a
        failure here (a git lock held, a full disk) loses nothing, and says so in one line."""
        try:
            self.repo.git.read_tree("-m", "-u", old, new)
        except (git.GitCommandError, OSError) as exc:
            reason = (getattr(exc, "stderr", "") or str(exc)).strip().splitlines()
            raise CorpusError(
                f"stored as commit {new[:12]}, but the work tree could not be updated "
                f"({reason[0].removeprefix('stderr: ').strip() if reason else 'git failed'}); "
                "the next provdiff command finishes it, or run provdiff doctor"
            ) from None

    def clear_stale_git_lock(self) -> bool:
        """Delete ``.git/index.lock`` when its owner is gone: a ``git read-tree`` killed during the
        work-tree sync leaves it, and every later git command that writes the index then fails.
        Called under the corpus lock, so no provdiff process owns it; a lock younger than
        ``_STALE_AFTER`` seconds may be a git command the user runs this moment, and stays."""
        lock = Path(self.repo.git_dir) / "index.lock"
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            return False
        if age < _STALE_AFTER:
            return False
        lock.unlink(missing_ok=True)
        return True

    def finish_interrupted_sync(self) -> None:
        """Complete the work-tree update of a write that was killed after its commit landed."""
        self.clear_stale_git_lock()
        journal = self.journal
        if not journal.exists():
            return
        old = journal.read_text().strip()
        if old and old != self.head():
            self.sync_worktree(old, self.head())
        journal.unlink()

    # -- health (provdiff doctor) ---------------------------------------------------------------

    def fsck(self) -> list[str]:
        """Problems ``git fsck`` finds in the object store (none for a healthy corpus)."""
        done = subprocess.run(
            ["git", "fsck", "--no-dangling", "--no-progress"],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        problems = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        return problems if done.returncode != 0 or problems else []

    def remove_leftovers(self) -> list[str]:
        """Delete what a killed ``git fast-import`` leaves: its unfinished pack files (no ref points
        into them) and its crash report. Returns the names removed."""
        git_dir = Path(self.repo.git_dir)
        found = [*git_dir.glob("objects/pack/tmp_pack_*"), *git_dir.glob("objects/pack/tmp_idx_*")]
        found += list(git_dir.glob("fast_import_crash_*"))
        for path in found:
            path.unlink(missing_ok=True)
        return [path.name for path in found]

    def broken_articles(self) -> list[str]:
        """Articles at HEAD that miss a file or whose text or record does not parse, one line each."""
        listing = self.repo.git.ls_tree("-r", "--name-only", "HEAD", "--", f"{ARTICLES_DIR}/")
        files: dict[str, set[str]] = {}
        for path in listing.splitlines():
            directory, _, name = path.rpartition("/")
            files.setdefault(directory[len(ARTICLES_DIR) + 1 :], set()).add(name)
        problems = []
        for article_id, names in sorted(files.items()):
            missing = {TEXT_NAME, RAW_NAME, RECORD_NAME} - names
            if missing:
                problems.append(f"{article_id}: missing {', '.join(sorted(missing))}")
                continue
            try:
                self.load(article_id)
            except (CorpusError, ValueError, KeyError) as exc:
                problems.append(f"{article_id}: {exc}")
        return problems

    def require_clean(self) -> None:
        status = self.repo.git.status("--porcelain", "--untracked-files=all", "--", ARTICLES_DIR)
        if status.strip():
            first = status.splitlines()[0]
            raise CorpusDirtyError(
                f"the corpus at {self.root} has uncommitted changes ({first.strip()} ...); commit or "
                "discard them (git -C CORPUS stash -u) before ingesting"
            )

    @property
    def branch(self) -> str:
        """The checked-out branch: ingest commits there (``main``, or a branch for a change to review)."""
        try:
            return str(self.repo.git.symbolic_ref("--short", "-q", "HEAD"))
        except git.GitCommandError:
            raise CorpusError(
                f"the corpus at {self.root} has no branch checked out (detached HEAD); "
                "switch to one first: git switch main"
            ) from None

    def head(self) -> str:
        """The commit the checked-out branch points at."""
        return str(self.repo.git.rev_parse(f"refs/heads/{self.branch}"))

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
        """(id, metadata, number of revisions) of every article at HEAD, read in bulk (``_head_texts``)."""
        counts, _ = self._history()
        return [(article_id, meta, counts.get(article_id, 0)) for article_id, meta, _ in self._head_texts()]

    def current(self, chunk: int = 2000) -> Iterator[CurrentText]:
        """Every article at HEAD as (id, metadata, paragraphs, revisions, first committed), read in
        bulk: one ``git log`` for the counts and dates, and ``git cat-file --batch`` per ``chunk``
        texts, instead of three object lookups per article."""
        counts, first = self._history()
        for article_id, meta, paragraphs in self._head_texts(chunk):
            yield CurrentText(
                article_id, meta, paragraphs, counts.get(article_id, 1), first.get(article_id, "")
            )

    def _history(self) -> tuple[dict[str, int], dict[str, str]]:
        """Per article id, how many commits changed its text and when the first of them was made,
        from one ``git log``."""
        counts: dict[str, int] = {}
        first: dict[str, str] = {}
        when = ""
        suffix = f"/{TEXT_NAME}"
        log = self.repo.git.log("--reverse", "--format=@%cI", "--name-only", "--", f"{ARTICLES_DIR}/")
        for line in log.splitlines():
            if line.startswith("@"):
                when = line[1:]
            elif line.endswith(suffix):
                key = line[len(ARTICLES_DIR) + 1 : -len(suffix)]
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, when)
        return counts, first

    def _head_texts(self, chunk: int = 2000) -> Iterator[tuple[str, Metadata, tuple[str, ...]]]:
        """(id, metadata, paragraphs) of every article at HEAD, by id: one ``git ls-tree`` for the
        blob ids, then ``git cat-file --batch`` per ``chunk`` of them, not an object lookup per
        article (which made ``list`` of 100k articles take 40 s)."""
        listing = self.repo.git.ls_tree("-r", "HEAD", "--", f"{ARTICLES_DIR}/")
        suffix = f"/{TEXT_NAME}"
        blobs = []
        for line in listing.splitlines():
            info, _, path = line.partition("\t")
            if path.endswith(suffix):
                blobs.append((path[len(ARTICLES_DIR) + 1 : -len(suffix)], info.split()[2]))
        blobs.sort()  # by id, as article_ids: git orders "a/b-c/text.md" before "a/b/text.md"
        for start in range(0, len(blobs), chunk):
            part = blobs[start : start + chunk]
            for (article_id, _), body in zip(part, self._objects([sha for _, sha in part]), strict=True):
                _, meta, paragraphs = parse_text(body, f"{article_dir(article_id)}/{TEXT_NAME}")
                yield article_id, meta, paragraphs

    def versions(
        self, revisions: Sequence[tuple[str, str, str]], chunk: int = 1000
    ) -> Iterator[tuple[Article, RevisionKind]]:
        """Each (commit, committed at, article id) of ``timeline`` as (article, kind), in order.

        Read in bulk (``git cat-file --batch``, ``chunk`` revisions at a time) instead of four object
        lookups per revision: what a rebuild of the claim index reads. The raw bytes are not read
        (``Article.raw`` is empty): the index never looks at them.
        """
        for start in range(0, len(revisions), chunk):
            part = revisions[start : start + chunk]
            specs = []
            for commit, _, article_id in part:
                base = article_dir(article_id)
                specs += [f"{commit}:{base}/{TEXT_NAME}", f"{commit}:{base}/{RECORD_NAME}"]
            bodies = self._objects(specs)
            for k, (_, _, article_id) in enumerate(part):
                record = parse_record(bodies[2 * k + 1])
                text_path = f"{article_dir(article_id)}/{TEXT_NAME}"
                yield assemble(bodies[2 * k], record, b"", text_path), record.kind

    def _objects(self, specs: Sequence[str]) -> list[bytes]:
        """The contents of the objects ``specs`` name (ids or ``commit:path``), from one ``git
        cat-file --batch``. A missing one is a damaged corpus (``doctor`` says what to do)."""
        data = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.root,
            input="".join(f"{spec}\n" for spec in specs).encode(),
            capture_output=True,
            check=True,
        ).stdout
        out = []
        at = 0
        for spec in specs:
            header_end = data.index(b"\n", at)
            header = data[at:header_end].split()
            if header[-1] == b"missing":
                raise CorpusError(f"git object {spec} is missing; run provdiff doctor")
            size = int(header[2])
            out.append(data[header_end + 1 : header_end + 1 + size])
            at = header_end + 1 + size + 1
        return out

    def timeline(self, since: str | None = None, upto: str | None = None) -> list[tuple[str, str, str]]:
        """(commit, committed at, article id) of every revision after commit ``since`` (all when None)
        up to ``upto`` (the head when None), oldest first, from one ``git log``: what the index replays."""
        return self.changes(since, upto)[0]

    def changes(
        self, since: str | None = None, upto: str | None = None
    ) -> tuple[list[tuple[str, str, str]], set[str]]:
        """``timeline``, and the articles whose text a commit of the range deleted (``git rm``, a
        revert, a merge: any commit made with git is something the index must follow)."""
        end = upto or self.head()
        span = f"{since}..{end}" if since else end
        log = self.repo.git.log(
            "--reverse", "--format=@%H %cI", "--name-status", "--no-renames", span, "--", f"{ARTICLES_DIR}/"
        )
        out: list[tuple[str, str, str]] = []
        deleted: set[str] = set()
        commit = when = ""
        suffix = f"/{TEXT_NAME}"
        for line in log.splitlines():
            if line.startswith("@"):
                commit, when = line[1:].split(" ", 1)
                continue
            status, _, path = line.partition("\t")
            if not path.endswith(suffix):
                continue
            article_id = path[len(ARTICLES_DIR) + 1 : -len(suffix)]
            if status == "D":
                deleted.add(article_id)
            else:
                out.append((commit, when, article_id))
        return out, deleted

    def revision_kind(self, article_id: str, commit: str) -> RevisionKind:
        """The kind recorded with the article's revision at ``commit``."""
        return parse_record(self._file(commit, f"{article_dir(article_id)}/{RECORD_NAME}")).kind

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

    def merge_base(self, left: str, right: str) -> str:
        """The commit two histories share last (``left`` itself when it is an ancestor of ``right``)."""
        try:
            return str(self.repo.git.merge_base(left, right))
        except git.GitCommandError as exc:
            raise NotFoundError(
                f"{left[:12]} and {right[:12]} share no history; review a range of one branch"
            ) from exc

    def changed_articles(self, base: str, head: str) -> list[tuple[str, str]]:
        """(article id, ``A``dded / ``M``odified / ``D``eleted) of every article whose text differs
        between two commits, sorted by id."""
        listing = self.repo.git.diff("--name-status", "--no-renames", base, head, "--", f"{ARTICLES_DIR}/")
        prefix, suffix = f"{ARTICLES_DIR}/", f"/{TEXT_NAME}"
        out = []
        for line in listing.splitlines():
            status, _, path = line.partition("\t")
            if path.startswith(prefix) and path.endswith(suffix):
                out.append((path[len(prefix) : -len(suffix)], status[:1]))
        return sorted(out)

    def has_commit(self, sha: str) -> bool:
        """True when ``sha`` is a commit of the corpus branch's history."""
        try:
            self.repo.git.merge_base("--is-ancestor", sha, self.head())
        except git.GitCommandError:
            return False
        return True

    def resolve_commit(self, rev: str) -> str:
        """A full commit id for a commit-ish, or ``NotFoundError``."""
        if rev.startswith("-"):
            raise NotFoundError(f"{rev!r} is not a revision; use a number or a commit id")
        try:
            return str(
                self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
            )
        except git.GitCommandError as exc:
            raise NotFoundError(f"no commit {rev!r} in the corpus; see provdiff log ARTICLE") from exc

    def _file(self, commit: str, path: str) -> bytes:
        sha = self._object_id(f"{commit}:{path}")
        if sha is None:
            raise NotFoundError(f"{path} not found at {commit}")
        return self._blob(sha)

    def _object_id(self, spec: str) -> str | None:
        """The object id ``spec`` (``commit:path``) names, through git's persistent cat-file process."""
        try:
            sha = self.repo.git.get_object_header(spec)[0]
        except ValueError:
            return None
        return sha.decode() if isinstance(sha, bytes) else str(sha)


def _tree_entries(data: bytes) -> dict[str, str]:
    """Name -> object id of a raw git tree object (``mode SP name NUL 20-byte-id``, repeated)."""
    entries: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        entries[data[space + 1 : nul].decode("utf-8", "replace")] = data[nul + 1 : nul + 21].hex()
        pos = nul + 21
    return entries


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
