"""The use cases, for the CLI and for library users: open a corpus, ingest, list, log, show.

Ingest is all-or-nothing: every input is read and normalized before the corpus is touched, so a bad
file anywhere in a batch stops the run with the corpus exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from provdiff.alignment import align, units
from provdiff.errors import NotFoundError, OptionError
from provdiff.model import Alignment, AlignOptions, Article, Format, IngestOutcome, Metadata, Revision
from provdiff.normalize import NormalizeOptions, normalize
from provdiff.read import ReadOptions, read_bytes, read_file
from provdiff.read.manifest import load_manifest
from provdiff.store import Corpus

__all__ = [
    "AlignOptions",
    "ArticleRef",
    "DiffSide",
    "IngestInput",
    "Metadata",
    "collect_inputs",
    "diff",
    "diff_side",
    "find_article",
    "ingest",
    "init",
    "open_corpus",
    "parse_ref",
    "prepare",
    "resolve",
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
    """Create a corpus at ``path``."""
    return Corpus.create(path)


def open_corpus(explicit: Path | None, cwd: Path) -> Corpus:
    """The corpus named explicitly, else the nearest one at or above ``cwd``."""
    return Corpus.find(explicit, cwd)


def collect_inputs(
    paths: Sequence[str], manifest: Path | None, meta: Metadata, fmt: Format | None, stdin: bytes | None
) -> list[IngestInput]:
    """Expand files, directories (recursively; a ``manifest.toml`` inside gives its files' metadata),
    ``-`` (stdin) and a manifest into the list of inputs, in a stable order."""
    inputs: list[IngestInput] = []
    if manifest is not None:
        for entry in load_manifest(manifest):
            inputs.append(_entry_input(entry.path, _merge(entry.meta, meta), entry.format or fmt))
    for name in paths:
        if name == "-":
            if stdin is None:
                raise OptionError("'-' given but no standard input is available")
            inputs.append(IngestInput(name="-", data=stdin, meta=meta, format=fmt))
            continue
        path = Path(name)
        if path.is_dir():
            inputs.extend(_directory_inputs(path, meta, fmt))
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


def _directory_inputs(root: Path, meta: Metadata, fmt: Format | None) -> Iterator[IngestInput]:
    described: dict[Path, IngestInput] = {}
    for manifest in sorted(root.rglob(MANIFEST_NAME)):
        for entry in load_manifest(manifest):
            given = _entry_input(entry.path, _merge(entry.meta, meta), entry.format or fmt)
            described[entry.path.resolve()] = given
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or path.name == MANIFEST_NAME:
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
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
) -> Iterator[Article]:
    """Read and normalize inputs one at a time; a bad one raises ``InputError`` naming it."""
    for item in inputs:
        options = replace(read_options, format=item.format or read_options.format)
        if item.path is not None:
            docs = read_file(item.path, options, item.meta)
        else:
            docs = read_bytes(item.data or b"", item.name, options, item.meta)
        for doc in docs:
            yield normalize(doc, normalize_options)


def ingest(
    corpus: Corpus,
    inputs: Sequence[IngestInput],
    read_options: ReadOptions = ReadOptions(),
    normalize_options: NormalizeOptions = NormalizeOptions(),
    note: str = "",
) -> IngestOutcome:
    """Read, normalize and store a batch as one commit (or none when nothing changed).

    Articles stream into the store as they are normalized; an error in any input aborts the whole
    batch, and the store guarantees the corpus is then exactly as before.
    """
    return corpus.write(prepare(inputs, read_options, normalize_options), note)


@dataclass(frozen=True, slots=True)
class DiffSide:
    """One side of a diff: a label for reports, the article's paragraphs, and its id when stored."""

    label: str
    paragraphs: tuple[str, ...]
    article_id: str | None = None


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
    article, revision = resolve(corpus(), parse_ref(spec))
    return DiffSide(f"{article.article_id}@{revision.number}", article.paragraphs, article.article_id)


def diff(left: DiffSide, right: DiffSide, options: AlignOptions | None = None) -> Alignment:
    """Align two sides. Without options: paragraphs for two versions of one article, sentences (with
    related claims) for anything else, since different sources share claims, not paragraphs."""
    if options is None:
        same_article = left.article_id is not None and left.article_id == right.article_id
        options = AlignOptions() if same_article else AlignOptions(granularity="sentence", related=True)
    return align(
        units(left.paragraphs, options.granularity), units(right.paragraphs, options.granularity), options
    )


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
