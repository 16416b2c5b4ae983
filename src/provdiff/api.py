"""The use cases, for the CLI and for library users: open a corpus, ingest, list, log, show.

Ingest is all-or-nothing: every input is read and normalized before the corpus is touched, so a bad
file anywhere in a batch stops the run with the corpus exactly as it was.
"""

from __future__ import annotations

import difflib
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from provdiff.alignment import align, units
from provdiff.audit import ArticleFacts, AuditOptions, EditFacts, SourceAudit, classify_revision
from provdiff.audit import audit as run_audit
from provdiff.claims.batch import group_links, pairs_in_groups
from provdiff.claims.groups import claim_order
from provdiff.claims.lookup import Lookup, Pair, judge_pairs, match_text, read_pairs
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import Judgement
from provdiff.cluster.stories import stories_with_reasons
from provdiff.errors import InputError, NotFoundError, OptionError, ProvdiffError
from provdiff.fetch import FetchOptions, fetch_pages
from provdiff.gitdriver import git_diff, textconv
from provdiff.index import FILE_NAME as INDEX_FILE
from provdiff.index import Index, check_integrity, open_index
from provdiff.index.export import write_sqlite
from provdiff.model import (
    Action,
    Alignment,
    AlignOptions,
    Article,
    BlameLine,
    ClaimGroup,
    Format,
    IngestOutcome,
    Metadata,
    RawDocument,
    Revision,
    Story,
    StoryOptions,
)
from provdiff.normalize import NormalizeOptions, normalize
from provdiff.read import ReadOptions, iter_file, read_bytes, read_file
from provdiff.read.dates import sort_key
from provdiff.read.manifest import load_manifest
from provdiff.review import ArticleChange, Review, compare, group_effects, link_changes, shared_with
from provdiff.segment import match_key
from provdiff.store import MARKER, Corpus
from provdiff.store.lock import corpus_lock
from provdiff.watch import STATE_NAME as WATCH_STATE
from provdiff.watch import WatchRun, WatchState, load_config
from provdiff.watch import run as run_watch

if TYPE_CHECKING:
    from provdiff.cluster.engine import Engine

__all__ = [
    "AlignOptions",
    "ArticleRef",
    "AuditOptions",
    "BlameLine",
    "DiffSide",
    "FetchOptions",
    "IngestInput",
    "Metadata",
    "RelationOptions",
    "StoryOptions",
    "audit",
    "blame",
    "claim_groups",
    "collect_inputs",
    "copy_groups",
    "diff",
    "diff_side",
    "doctor",
    "export_sqlite",
    "fetch",
    "filter_groups",
    "find_article",
    "git_diff",
    "git_setup",
    "ingest",
    "init",
    "iter_claim_groups",
    "judge_pair_file",
    "match",
    "open_claims_index",
    "open_corpus",
    "parse_ref",
    "prepare",
    "rebuild_index",
    "replay_revisions",
    "resolve",
    "review",
    "source_of",
    "stories",
    "textconv",
    "watch",
]

MANIFEST_NAME = "manifest.toml"
_REVISION_NUMBER = re.compile(r"^\d{1,6}$")


@dataclass(frozen=True, slots=True)
class IngestInput:
    """One thing to ingest: a file, or bytes (stdin), with the metadata and format given for it."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    meta: Metadata = Metadata()
    format: Format | None = None


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article and, optionally, one of its revisions: ``ID``, ``ID@3`` or ``ID@<commit>``."""

    article: str
    revision: str | None = None


def init(path: Path) -> Corpus:
    """Create a corpus at ``path``, with provdiff registered as its git diff driver."""
    corpus = Corpus.create(path)
    git_setup(corpus)
    return corpus


def open_corpus(explicit: Path | None, cwd: Path) -> Corpus:
    """The corpus named explicitly, else the nearest one at or above ``cwd``."""
    return Corpus.find(explicit, cwd)


def collect_inputs(
    paths: Sequence[str],
    manifest: Path | None,
    meta: Metadata,
    fmt: Format | None,
    stdin: bytes | None,
    *,
    outside: bool = False,
) -> list[IngestInput]:
    """Expand files, directories (recursively; a ``manifest.toml`` inside gives its files' metadata),
    ``-`` (stdin) and a manifest into the list of inputs, in a stable order.

    What is ingested is committed to git history for good, so nothing from outside what the user
    named gets in unasked: a symlink that leads out of the directory being read (or a file named
    on the command line that links out of its own folder), and a manifest entry outside the
    manifest's folder (absolute, or climbing out with ``..``), are refused with one error unless
    ``outside`` (``--allow-outside``).
    A folder named on the command line is read where it leads (``~/news`` may well be a link)."""
    inputs: list[IngestInput] = []
    if manifest is not None:
        for entry in load_manifest(manifest):
            _confined(entry.path, manifest.parent, outside, f"{manifest}: file {entry.path}")
            inputs.append(_entry_input(entry.path, _merge(entry.meta, meta), entry.format or fmt))
    for name in paths:
        if name == "-":
            if stdin is None:
                raise OptionError("'-' given but no standard input is available")
            inputs.append(IngestInput(name="-", data=stdin, meta=meta, format=fmt))
            continue
        path = Path(name)
        if path.is_symlink() and path.is_file():  # today.txt -> /etc/shadow: out of its own folder
            _confined(path, path.absolute().parent, outside, f"{name} (a symbolic link)")
        if path.is_dir():
            inputs.extend(_directory_inputs(path, meta, fmt, outside))
        elif path.is_file():
            inputs.append(IngestInput(name=name, path=path, meta=meta, format=fmt))
        else:
            raise OptionError(f"{name}: no such file or directory; check the path")
    if not inputs:
        raise OptionError("nothing to ingest: give files, directories, '-' or --manifest")
    return inputs


def _entry_input(path: Path, meta: Metadata, fmt: Format | None) -> IngestInput:
    if not path.is_file():
        raise OptionError(f"{path}: listed in the manifest but not found; fix the manifest entry")
    return IngestInput(name=str(path), path=path, meta=meta, format=fmt)


def _confined(path: Path, root: Path, outside: bool, what: str) -> None:
    """Refuse ``path`` when it resolves outside ``root`` (symlinks followed), unless ``outside``."""
    if outside or path.resolve().is_relative_to(root.resolve()):
        return
    raise OptionError(
        f"{what} leads outside {root} (to {path.resolve()}); nothing was stored. Move it inside, "
        "or pass --allow-outside to read it anyway"
    )


def _directory_inputs(root: Path, meta: Metadata, fmt: Format | None, outside: bool) -> Iterator[IngestInput]:
    described: dict[Path, IngestInput] = {}
    for manifest in sorted(root.rglob(MANIFEST_NAME)):
        for entry in load_manifest(manifest):
            _confined(entry.path, manifest.parent, outside, f"{manifest}: file {entry.path}")
            given = _entry_input(entry.path, _merge(entry.meta, meta), entry.format or fmt)
            described[entry.path.resolve()] = given
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or path.name == MANIFEST_NAME:
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        _confined(path, root, outside, str(path))
        yield described.get(path.resolve()) or IngestInput(name=str(path), path=path, meta=meta, format=fmt)


def _merge(specific: Metadata, general: Metadata) -> Metadata:
    """Fields of ``specific`` (a manifest entry) win; ``general`` (command-line options) fills the rest."""
    given = {k: getattr(general, k) for k in general.__slots__ if getattr(general, k) is not None}
    given.update({k: getattr(specific, k) for k in specific.__slots__ if getattr(specific, k) is not None})
    return Metadata(**given)


def prepare(
    inputs: Iterable[IngestInput],
    read_options: ReadOptions = ReadOptions(),
    normalize_options: NormalizeOptions = NormalizeOptions(),
    progress: Callable[[int], None] | None = None,
    refused: list[str] | None = None,
) -> Iterator[Article]:
    """Read and normalize inputs one at a time; a bad one raises ``InputError`` naming it, or,
    given a ``refused`` list, is listed there ("NAME: why") and left out (``--keep-going``).

    ``progress`` is called with 1 after each input (the CLI draws its bar with it; the library
    itself never prints)."""
    for item in inputs:
        options = replace(read_options, format=item.format or read_options.format)
        if item.path is not None:
            docs: Iterator[RawDocument] = iter(iter_file(item.path, options, item.meta))
        else:
            docs = iter(read_bytes(item.data or b"", item.name, options, item.meta))
        while True:
            try:
                doc = next(docs, None)
                if doc is None:
                    break
                article = normalize(doc, normalize_options)
            except InputError as exc:
                if refused is None:
                    raise
                refused.append(str(exc))
                continue  # a reader that failed ends its file; a document that failed, itself
            yield article
        if progress is not None:
            progress(1)


def ingest(
    corpus: Corpus,
    inputs: Sequence[IngestInput],
    read_options: ReadOptions = ReadOptions(),
    normalize_options: NormalizeOptions = NormalizeOptions(),
    note: str = "",
    *,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    revision_of: str | None = None,
    keep_going: bool = False,
) -> IngestOutcome:
    """Read, normalize and store a batch as one commit (or none when nothing changed), then add its
    claims to the claim index (their links and groups are found by the next command that reads them).

    ``keep_going`` stores the good inputs of a batch with bad ones (listed in the outcome's
    ``refused``) instead of refusing it whole. ``revision_of`` (an article id, or a unique part of
    one) makes the one input a new revision of that article, whatever its file name, URL or id
    say: the way to record a renamed file or a page that moved. More than one document in the
    batch is then an error, and nothing is stored.

    The index is created by the first command that needs it (claims, report, blame, reindex); an
    ingest into a corpus that has none does not build one, so plain archiving stays fast.

    Articles stream into the store as they are normalized; an error in any input aborts the whole
    batch, and the store guarantees the corpus is then exactly as before. A new revision that looks
    like a failed extraction (``normalize.health``) is stored flagged, or with ``strict`` aborts it.
    """
    refused: list[str] | None = [] if keep_going else None
    articles = prepare(inputs, read_options, normalize_options, progress, refused)
    if revision_of is not None:
        articles = _as_revision_of(find_article(corpus, revision_of), revision_of, articles)
    outcome = _store(corpus, articles, note, strict=strict)
    return replace(outcome, refused=tuple(refused)) if refused else outcome


def _as_revision_of(article_id: str, given: str, articles: Iterable[Article]) -> Iterator[Article]:
    """The one article of a batch, stored under ``article_id``."""
    for count, article in enumerate(articles):
        if count:
            raise OptionError(f"--revision-of {given} takes one article; the inputs hold more")
        yield replace(article, article_id=article_id)


def export_sqlite(corpus: Corpus, path: Path) -> dict[str, int]:
    """The corpus at its head as plain SQLite tables (``provdiff.index.export``); the rows per table."""
    with open_claims_index(corpus) as index:
        languages = index.languages()
        articles = [(a, meta, count, languages.get(a)) for a, meta, count in corpus.summaries()]
        revisions = index.revisions()  # the index holds them: no git log per article
        rows = audit(corpus, index)
        groups = iter_claim_groups(index)
        return write_sqlite(
            path, head=corpus.head(), articles=articles, revisions=revisions, groups=groups, audit=rows
        )


def source_of(corpus: Corpus, ref: str) -> str:
    """The source of the article ``ref`` names (``ingest --revision-of`` keeps it by default)."""
    return corpus.load(find_article(corpus, ref)).meta.source or ""


def _store(corpus: Corpus, articles: Iterable[Article], note: str, *, strict: bool = False) -> IngestOutcome:
    """Write a batch (one commit, or none), then add its claims to the claim index if the corpus has one."""
    outcome = corpus.write(articles, note, strict=strict)
    if outcome.commit is not None and (corpus.state_dir / INDEX_FILE).exists():
        with open_claims_index(corpus, relate=False):
            pass
    return outcome


def _normalized(documents: Iterable[RawDocument], failures: list[str]) -> list[Article]:
    """The documents cleaned; one failure line each for those that hold no article."""
    articles = []
    for document in documents:
        try:
            articles.append(normalize(document))
        except ProvdiffError as exc:
            failures.append(str(exc))
    return articles


def fetch(
    corpus: Corpus,
    urls: Sequence[str],
    options: FetchOptions = FetchOptions(),
    meta: Metadata = Metadata(),
    note: str = "",
    *,
    strict: bool = False,
) -> tuple[IngestOutcome, list[str]]:
    """Fetch ``urls`` and store every page that arrived as one ingest (one commit, or none when
    nothing changed); returns the outcome and one line per URL that failed (network, HTTP status,
    size, robots.txt, no article text). Failures do not stop the others."""
    documents, failures = fetch_pages(urls, options, meta)
    return _store(corpus, _normalized(documents, failures), note, strict=strict), failures


def watch(
    corpus: Corpus, options: FetchOptions = FetchOptions(), now: datetime | None = None
) -> tuple[IngestOutcome, WatchRun]:
    """One watch run: the feeds and pages of ``provdiff.toml``, what is new or due fetched and stored
    in one commit, the watch state saved only once that commit stands. Overlapping runs are refused
    (their own lock), so cron may start them as often as it likes."""
    config = load_config(corpus.root / MARKER)
    with corpus_lock(corpus.state_dir, "watch.lock"):
        state_path = corpus.state_dir / WATCH_STATE
        state = WatchState.load(state_path)
        result = run_watch(config, state, options, now)
        outcome = _store(corpus, _normalized(result.documents, result.failures), "provdiff watch")
        state.save(state_path)
    return outcome, result


@dataclass(frozen=True, slots=True)
class DiffSide:
    """One side of a diff: a label for reports, the article's paragraphs, and its id when stored."""

    label: str
    paragraphs: tuple[str, ...]
    article_id: str | None = None
    current: bool = False  # the article's current revision (its claims are in the corpus's groups)


def diff_side(spec: str, corpus: Callable[[], Corpus], read_options: ReadOptions = ReadOptions()) -> DiffSide:
    """A file outside the corpus (read and cleaned like an ingest, nothing stored) or ``ARTICLE[@REV]``.

    The corpus is opened only when ``spec`` is not a file, so two files can be compared anywhere.
    """
    path = Path(spec)
    if path.is_file():
        docs = read_file(path, read_options, Metadata(source="file"))
        if len(docs) != 1:
            raise OptionError(f"{spec}: holds {len(docs)} records; diff compares one article per side")
        return DiffSide(spec, normalize(docs[0]).paragraphs)
    store = corpus()
    article, revision = resolve(store, parse_ref(spec))
    latest = len(store.revisions(article.article_id))
    return DiffSide(
        f"{article.article_id}@{revision.number}",
        article.paragraphs,
        article.article_id,
        revision.number == latest,
    )


def diff(
    left: DiffSide,
    right: DiffSide,
    options: AlignOptions | None = None,
    corpus: Callable[[], Corpus] | None = None,
) -> Alignment:
    """Align two sides. Without options: paragraphs for two versions of one article, sentences (with
    related claims) for anything else, since different sources share claims, not paragraphs.

    Across sources, two claims are paired when they sit in one claim group: for the current
    revisions of two corpus articles, the corpus's own groups (``corpus`` opens it), so that ``diff``
    and ``claims`` agree on every pair; otherwise the groups of the two documents alone."""
    if options is None:
        same_article = left.article_id is not None and left.article_id == right.article_id
        options = AlignOptions() if same_article else AlignOptions(granularity="sentence", related=True)
    a, b = units(left.paragraphs, options.granularity), units(right.paragraphs, options.granularity)
    pairs = None
    if (
        options.related
        and corpus is not None
        and left.current
        and right.current
        and left.article_id
        and right.article_id
    ):
        with open_claims_index(corpus()) as index:
            pairs = corpus_pairs(index, left.article_id, right.article_id)
    return align(a, b, options, pairs)


def corpus_pairs(index: Index, left: str, right: str) -> list[tuple[int, int, str, float]]:
    """The pairs ``diff`` shows between two corpus articles' current sentences: claims of one group
    of the corpus (``claims.pairs_in_groups``), numbered as the articles' sentences in order."""
    unit = {c: n for n, c in enumerate(index.current_claims(left))}
    unit.update({c: n for n, c in enumerate(index.current_claims(right))})
    return pairs_in_groups(index.groups_with([left, right]), unit, left, right)


def match(index: Index, text: str, limit: int | None = None) -> list[Lookup]:
    """The corpus claims that state the same claim as each sentence of ``text``, best first, by
    the relation the index's groups were found with (``claims.lookup``)."""
    if not text.strip():
        raise OptionError("nothing to look up: give a sentence, or - to read it from standard input")
    return match_text(index, text, index.options, limit)


def judge_pair_file(data: bytes, name: str) -> Iterator[tuple[Pair, Judgement]]:
    """Each pair of a TSV file's bytes (``claims.lookup.read_pairs``) with the relation's judgement,
    with the options every corpus command uses. A file that is not UTF-8 is one error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); save the pairs file as UTF-8") from None
    pairs = list(read_pairs(text.splitlines(), name))  # every row is read before the first is judged
    return judge_pairs(pairs, RelationOptions())


def open_claims_index(
    corpus: Corpus,
    *,
    rebuild: bool = False,
    progress: Callable[[int], None] | None = None,
    relate: bool = True,
    options: RelationOptions | None = None,
    postings: bool = False,
) -> Index:
    """The corpus's claim index, brought up to date with the corpus head first.

    Revisions committed since the indexed head are added one by one, as ingest does; an index that is
    missing, damaged, of another schema, or whose head is not in the corpus history is rebuilt from
    git. Then (unless ``relate`` is false: ingest only adds claims) the links and groups are found
    again if the claims or the relation's options changed since they were (``Index.relate``), and
    with ``postings`` the lookup's postings are built if the index has none yet. Holds
    the corpus lock while it writes. ``progress`` is called with 1 for every revision replayed.
    """
    path = corpus.state_dir / INDEX_FILE
    with corpus_lock(corpus.state_dir):
        damaged = path.exists() and not check_integrity(path)
        if damaged:
            path.unlink()
        index = open_index(corpus.state_dir, options)
        indexed, head = index.indexed_head(), corpus.head()
        full = rebuild or not indexed or not corpus.has_commit(indexed)
        behind, deleted = ([], set()) if full or indexed == head else corpus.changes(indexed)
        if full:
            index.reset()
            behind, deleted = corpus.changes(None)
        with index.transaction():
            replay_revisions(corpus, index, behind, progress)
            if deleted:  # removed with git: gone from the index too, unless added back since
                index.remove_articles(deleted - set(corpus.article_ids(head)))
            index.set_head(head)
        if relate:
            index.relate()
            if postings:  # what a claim lookup reads (``Index.keep_postings``)
                index.keep_postings()
    return index


def rebuild_index(corpus: Corpus, index: Index, upto: str | None = None) -> None:
    """Fill an empty index with the history up to ``upto`` (the head when None), and relate it,
    reusing the relation's memo of the corpus's own index (most texts are the same)."""
    end = upto or corpus.head()
    behind, deleted = corpus.changes(None, end)
    with index.transaction():
        replay_revisions(corpus, index, behind)
        if deleted:
            index.remove_articles(deleted - set(corpus.article_ids(end)))
        index.set_head(end)
    if index.path != corpus.state_dir / INDEX_FILE:
        index.adopt_memo(corpus.state_dir / INDEX_FILE)
    index.relate()


def replay_revisions(
    corpus: Corpus,
    index: Index,
    timeline: list[tuple[str, str, str]],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Add the revisions of ``timeline`` (``Corpus.timeline``) to the index, oldest first; ``progress``
    is called with 1 after each."""
    numbers: dict[str, int] = {}
    for (commit, when, article_id), (article, kind) in zip(timeline, corpus.versions(timeline), strict=True):
        if article_id not in numbers:
            numbers[article_id] = index.revision_count(article_id)
        numbers[article_id] += 1
        revision = Revision(article_id, numbers[article_id], commit, when, kind)
        first_seen = index.first_seen(article_id) or when
        warnings = [e.detail for e in article.repairs if e.action is Action.FLAGGED and e.kind == "metadata"]
        index.add_revision(article, revision, first_seen, warnings)
        if progress is not None:
            progress(1)


def claim_groups(index: Index) -> list[ClaimGroup]:
    """Every claim group of the corpus's current revisions, largest first."""
    return list(iter_claim_groups(index))


def iter_claim_groups(index: Index) -> Iterator[ClaimGroup]:
    """``claim_groups`` one at a time: only grouped claims are held, claims in no group (most of
    them) are read from the index as the groups are consumed. Consume it while the index is open."""
    return index.groups()


def require_known(kind: str, value: str | None, names: Iterable[str], *, part: bool = False) -> None:
    """Refuse a filter that names no ``kind`` the corpus holds (``--source nosuch`` listing "0
    groups" reads as "nothing recurs"): an ``OptionError`` with the closest names (difflib), or
    nothing when ``value`` is None, one of ``names``, or with ``part`` a part of one."""
    if value is None:
        return
    known = sorted(set(names))
    if value in known or (part and any(value in name for name in known)):
        return
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    if part and not close:  # an article is named by a part of its id: compare with the parts
        parts = {piece: name for name in known for piece in re.split(r"[/_]", name)}
        close = [parts[p] for p in difflib.get_close_matches(value, list(parts), n=3, cutoff=0.6)]
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise OptionError(f"no {kind} {value!r} in the corpus{hint} (provdiff list shows them)")


def filter_groups(
    groups: Iterable[ClaimGroup],
    status: str | None = None,
    source: str | None = None,
    article: str | None = None,
    since: str | None = None,
) -> Iterator[ClaimGroup]:
    """Groups matching every given filter (``status`` may also be ``conflict``), lazily."""
    for group in groups:
        if status == "conflict" and not group.conflicts:
            continue
        if status not in (None, "conflict") and group.status.value != status:
            continue
        if source is not None and source not in group.sources:
            continue
        if article is not None and not any(article in c.article_id for c in group.claims):
            continue
        if since is not None and not any(sort_key(c.when) >= sort_key(since) for c in group.claims):
            continue
        yield group


def blame(corpus: Corpus, index: Index, ref: ArticleRef) -> tuple[Article, Revision, list[BlameLine]]:
    """Per sentence of ``ARTICLE[@REV]``: the revision that introduced it and its first appearance
    elsewhere: the earliest claim of another article in its group (``claims.groups.claim_order``),
    or the earliest verbatim appearance in any revision of another article. An older revision's
    sentence borrows the group of the current sentence with the same text, if it survived."""
    article, revision = resolve(corpus, ref)
    dated = {row[0] for row in index.articles() if row[3]}  # articles with a published date
    current = {match_key(c.text): c for c in index.current_claims(article.article_id)}
    lines = []
    for claim in index.revision_claims(article.article_id, revision.number):
        key = match_key(claim.text)
        same = index.same_key(key)
        own = [c.revision for c in same if c.article_id == claim.article_id and c.revision <= claim.revision]
        elsewhere = [(c, "verbatim") for c in same if c.article_id != claim.article_id]
        twin = current.get(key)
        group = index.group_of(twin) if twin is not None else None
        if group is not None and twin is not None:
            related = {link.b.claim_id: link.relation.value for link in group.links if link.a == twin}
            related |= {link.a.claim_id: link.relation.value for link in group.links if link.b == twin}
            elsewhere.extend(
                (c, related.get(c.claim_id, "same group"))
                for c in (*group.claims, *group.also)
                if c.article_id != claim.article_id
            )
        earlier = [(c, r) for c, r in elsewhere if claim_order(c) < claim_order(claim)]
        first = min(earlier, key=lambda pair: claim_order(pair[0]), default=None)
        lines.append(
            BlameLine(
                claim,
                min(own, default=claim.revision),
                first[0] if first else None,
                first[1] if first else "",
                first is None or first[0].article_id in dated,
            )
        )
    return article, revision, lines


def audit(corpus: Corpus, index: Index, options: AuditOptions = AuditOptions()) -> list[SourceAudit]:
    """The source audit of the corpus (see :mod:`provdiff.audit` for every definition).

    Repairs come from each article's current revision; every revision after an article's first is
    classed against the one before it, so the audit reads two versions per source edit from git.
    """
    groups = iter_claim_groups(index)  # read by run_audit, while the index is still open
    facts = []
    starts: dict[str, str] = {}
    for article_id, source, _, published, modified, first_seen, _ in index.articles():
        article = corpus.load(article_id)
        starts[article_id] = published or first_seen
        facts.append(
            ArticleFacts(
                article_id, source, published, modified, first_seen, len(article.paragraphs), article.repairs
            )
        )
    history: dict[str, list[Revision]] = {}
    for revision in index.revisions():
        history.setdefault(revision.article_id, []).append(revision)
    edits: list[EditFacts] = []
    for article_id, revisions in history.items():
        if len(revisions) < 2:
            continue
        versions = [corpus.load(article_id, revision.commit) for revision in revisions]
        edits.extend(
            classify_revision(before, after, revision, starts[article_id])
            for before, after, revision in zip(versions, versions[1:], revisions[1:], strict=False)
        )
    return run_audit(groups, facts, edits, options)


def stories(corpus: Corpus, options: StoryOptions = StoryOptions()) -> list[Story]:
    """The corpus's current articles grouped into stories (``cluster.stories``), largest first.

    Texts are read in bulk (``Corpus.current``): stories need only each article's words and metadata.
    """
    current = list(corpus.current())
    texts = ["\n\n".join((item.meta.title or "", *item.paragraphs)) for item in current]
    members: dict[int, list[tuple[str, Metadata]]] = {}
    closest: dict[str, tuple[str, float]] = {}
    for item, (label, mate, cosine) in zip(current, stories_with_reasons(texts, options), strict=True):
        members.setdefault(label, []).append((item.article_id, item.meta))
        if mate is not None:
            closest[item.article_id] = (current[mate].article_id, cosine)

    def published(entry: tuple[str, Metadata]) -> str:
        return sort_key(entry[1].published or "~")

    ordered = sorted(members.values(), key=lambda group: (-len(group), min(map(published, group))))
    stories = []
    for number, group in enumerate(ordered, start=1):
        held = tuple(sorted(group, key=published))
        stories.append(Story(number, held, tuple(closest.get(article_id) for article_id, _ in held)))
    return stories


def copy_groups(corpus: Corpus, engine: Engine | None = None) -> list[ClaimGroup]:
    """Groups of copied claims across the whole corpus by the bulk engine (``cluster.shingles``):
    verbatim, edited and figure-changed copies, on this machine or on Dask (``engine``). Claims
    without a copy are left out; reworded matches are the claim index's job (``claim_groups``)."""
    # numpy hashing is imported by the one command that uses it: every other command starts faster
    from provdiff.cluster.shingles import Corpus as BulkCorpus  # noqa: PLC0415
    from provdiff.cluster.shingles import Document as BulkDocument  # noqa: PLC0415

    documents = [
        BulkDocument(
            item.article_id,
            item.revisions,
            item.meta.source or "",
            item.meta.published or item.first_seen,
            item.paragraphs,
        )
        for item in corpus.current()
    ]
    return list(group_links(BulkCorpus(documents, engine=engine).links()).groups())


def doctor(corpus: Corpus) -> tuple[list[str], list[str]]:
    """Check the corpus and repair what can be repaired from git: (what was fixed, what is wrong).

    Fixed here: a stale ``.git/index.lock``, a work tree left behind by a write killed after its
    commit, unfinished pack files and crash reports of a killed fast-import, a claim index that is
    damaged or behind (rebuilt or caught up from git; a corpus without one is left without).
    Reported, not touched: object-store damage (git fsck), articles missing a file or unparsable,
    uncommitted edits in the work tree.
    """
    fixed: list[str] = []
    with corpus_lock(corpus.state_dir):
        if corpus.clear_stale_git_lock():
            fixed.append("removed a stale .git/index.lock left by a killed git command")
        if corpus.journal.exists():
            corpus.finish_interrupted_sync()
            fixed.append("finished the work-tree update of an interrupted ingest")
        leftovers = corpus.remove_leftovers()
        if leftovers:
            fixed.append(f"removed {len(leftovers)} file(s) left by a killed git fast-import")
    problems = [f"git fsck: {line}" for line in corpus.fsck()]
    problems += [f"article {line}" for line in corpus.broken_articles()]
    try:
        corpus.require_clean()
    except ProvdiffError as exc:
        problems.append(str(exc))
    path = corpus.state_dir / INDEX_FILE
    if not problems and path.exists():  # a corpus used only as an archive has none, and needs none
        damaged = not check_integrity(path)
        behind = not damaged and _index_head(corpus) != corpus.head()
        if damaged or behind:
            with open_claims_index(corpus, rebuild=damaged) as index:
                count = index.current_claim_count()
            why = "damaged" if damaged else "behind the corpus"
            fixed.append(f"claim index was {why}: rebuilt from git ({count} current claims)")
    return fixed, problems


def _index_head(corpus: Corpus) -> str | None:
    with open_index(corpus.state_dir) as index:
        return index.indexed_head()


def parse_range(spec: str) -> tuple[str, str]:
    """``A..B`` (or ``A...B``) -> (A, B); a missing side is HEAD; a single revision means ``A..HEAD``.

    >>> parse_range("main..feature"), parse_range("HEAD~5"), parse_range("..x")
    (('main', 'feature'), ('HEAD~5', 'HEAD'), ('HEAD', 'x'))
    """
    left, dots, right = spec.partition("...") if "..." in spec else spec.partition("..")
    if not dots:
        return spec, "HEAD"
    return left or "HEAD", right or "HEAD"


@contextmanager
def _index_at(corpus: Corpus, head: str) -> Iterator[Index]:
    """The claim index as of commit ``head``: the corpus's own when ``head`` is its head, else a
    temporary one replayed from git (a branch under review is not what the corpus has checked out)."""
    if head == corpus.head():
        with open_claims_index(corpus) as index:
            yield index
        return
    with (
        tempfile.TemporaryDirectory(prefix="provdiff-review-") as scratch,
        open_index(Path(scratch)) as index,
    ):
        rebuild_index(corpus, index, upto=head)
        yield index


def review(corpus: Corpus, spec: str) -> Review:
    """What ``spec`` (``A..B``) changed: per article added, revised or removed between the merge base
    of A and B and B, its claim-level changes; and the claims that now recur or conflict at B."""
    left_spec, head_spec = parse_range(spec)
    head = corpus.resolve_commit(head_spec)
    base = corpus.merge_base(corpus.resolve_commit(left_spec), head)
    articles = []
    for article_id, status in corpus.changed_articles(base, head):
        before = () if status == "A" else corpus.load(article_id, base).paragraphs
        after_article = None if status == "D" else corpus.load(article_id, head)
        after = after_article.paragraphs if after_article else ()
        title = (after_article or corpus.load(article_id, base)).meta.title or ""
        revision = len(corpus.revisions(article_id, upto=head)) if after_article else 0
        word = {"A": "added", "D": "removed"}.get(status, "revised")
        articles.append(ArticleChange(article_id, word, title, compare(article_id, revision, before, after)))
    touched = {article.article_id for article in articles}
    with _index_at(corpus, head) as index:
        groups = index.groups_with(sorted(touched)) if touched else []
        now_recur, conflicts = group_effects(groups, articles)
        at_head = shared_with(groups, touched)
    at_base: dict[tuple[str, ...], str] = {}
    if touched:  # the groups at the merge base, from a temporary index
        with _index_at(corpus, base) as index:
            at_base = shared_with(index.groups_with(sorted(touched)), touched)
    gained, lost = link_changes(at_base, at_head)
    return Review(spec, base, head, tuple(articles), now_recur, conflicts, gained, lost)


def git_setup(corpus: Corpus) -> str:
    """Register provdiff as the corpus's git diff driver; returns the command git will run."""
    program = f"{shlex.quote(sys.executable)} -m provdiff"
    corpus.setup_git(program)
    return program


def parse_ref(text: str) -> ArticleRef:
    """Split ``ID@REV``; REV is a revision number or a commit.

    >>> parse_ref("koreapro/post-1a2b@2")
    ArticleRef(article='koreapro/post-1a2b', revision='2')
    >>> parse_ref("koreapro/post-1a2b")
    ArticleRef(article='koreapro/post-1a2b', revision=None)
    """
    article, at, revision = text.rpartition("@")
    if not at:
        return ArticleRef(text)
    if not article or not revision:
        raise OptionError(f"{text!r}: write ARTICLE@REV with REV a revision number or a commit")
    return ArticleRef(article, revision)


def find_article(corpus: Corpus, name: str) -> str:
    """The full id of the article ``name`` designates: its id, its last part, or a unique substring."""
    ids = corpus.article_ids()
    if name in ids:
        return name
    matches = [i for i in ids if i.rsplit("/", 1)[-1] == name] or [i for i in ids if name in i]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(f"no article matches {name!r}; see provdiff list")
    shown = ", ".join(matches[:5]) + (" ..." if len(matches) > 5 else "")
    raise NotFoundError(f"{name!r} matches {len(matches)} articles ({shown}); give more of the id")


def resolve(corpus: Corpus, ref: ArticleRef) -> tuple[Article, Revision]:
    """The article version a reference designates, and which revision that is."""
    article_id = find_article(corpus, ref.article)
    revisions = corpus.revisions(article_id)
    if ref.revision is None:
        revision = revisions[-1]
    elif _REVISION_NUMBER.match(ref.revision):
        number = int(ref.revision)
        if not 1 <= number <= len(revisions):
            raise NotFoundError(
                f"{article_id} has {len(revisions)} revision(s); there is no revision {number}"
            )
        revision = revisions[number - 1]
    else:
        commit = corpus.resolve_commit(ref.revision)
        upto = corpus.revisions(article_id, upto=commit)
        revision = revisions[len(upto) - 1]
    return corpus.load(article_id, revision.commit), revision
