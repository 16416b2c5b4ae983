"""The ``provdiff`` command: a thin typer shell over :mod:`provdiff.api`.

The only module that imports typer and the only one that prints. Every ``ProvdiffError`` becomes one
``Error: ...`` line on stderr; exit 1 for errors, 2 for malformed options (click's convention).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from provdiff import __version__, drivers, lazy
from provdiff.claims.options import EVIDENCE, evidence_setting
from provdiff.errors import OptionError, ProvdiffError
from provdiff.model import (
    DEFAULT_MAX_BYTES,
    AlignOptions,
    ClaimGroup,
    Format,
    IngestOutcome,
    Metadata,
    StoryOptions,
)

if TYPE_CHECKING:
    from provdiff import api, read
    from provdiff import watch as watching
    from provdiff.report import audit as audit_report
    from provdiff.report import claims as claims_report
    from provdiff.report import corpus as corpus_report
    from provdiff.report import diff as diff_report
    from provdiff.report import html as html_report
    from provdiff.report import review as review_report
    from provdiff.store import Corpus
else:
    api, read, watching = map(lazy.module, ("provdiff.api", "provdiff.read", "provdiff.watch"))
    audit_report, claims_report, corpus_report, diff_report, html_report, review_report = (
        lazy.module(f"provdiff.report.{name}")
        for name in ("audit", "claims", "corpus", "diff", "html", "review")
    )

app = typer.Typer(
    name="provdiff",
    help="Document diff and provenance tracker for news: a git-backed corpus of article versions.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich cost 0.3 s of imports per --help
    context_settings={"help_option_names": ["-h", "--help"]},
)

T = TypeVar("T")
_PROGRESS_FROM = 200  # inputs (revisions) from which ingest (reindex) draws a progress bar on a terminal


class OutputFormat(StrEnum):
    """Output formats of listing commands."""

    TEXT = "text"
    JSON = "json"


CorpusOption = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        envvar="PROVDIFF_CORPUS",
        help="Corpus directory (default: the nearest corpus at or above the current directory).",
        show_default=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")]


def _run(action: Callable[[], T]) -> T:
    """Run ``action``; turn provdiff errors into one ``Error:`` line and an exit code."""
    try:
        return action()
    except OptionError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ProvdiffError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None


def _parse_date(value: str) -> str | None:
    from provdiff.read.dates import parse_date  # noqa: PLC0415 - lazy: the readers' package is heavy

    return parse_date(value)


def _parse_lang(value: str, option: str) -> str:
    from provdiff.segment.language import parse_lang  # noqa: PLC0415 - lazy: segment compiles its grammar

    return parse_lang(value, option)


def _renderer(module: ModuleType, kind: str, output: StrEnum) -> Callable[..., Any]:
    """A report module's renderer ``KIND_FORMAT`` (``groups_json``, ``audit_csv``; ``text`` for
    the terminal), looked up when the command runs, so that only the report it writes is loaded."""
    suffix = "text" if output.value == "terminal" else output.value
    renderer: Callable[..., Any] = getattr(module, f"{kind}_{suffix}")
    return renderer


def _corpus(explicit: Path | None) -> Corpus:
    return api.open_corpus(explicit, Path.cwd())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provdiff {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[  # noqa: ARG001 - its callback prints the version and exits
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    lexical: Annotated[
        bool,
        typer.Option(
            "--lexical",
            help="Judge claims on words, figures and names only, without the sentence encoder "
            "(faster; also PROVDIFF_EVIDENCE=lexical).",
        ),
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Write to the terminal directly (default there: PROVDIFF_PAGER, PAGER or less; "
            "never in pipes).",
        ),
    ] = False,
) -> None:
    """Document diff and provenance tracker for news."""
    _PAGING["enabled"] = not no_pager
    if lexical:
        os.environ[EVIDENCE] = "lexical"
    else:
        _run(evidence_setting)  # a bad PROVDIFF_EVIDENCE is one error line, before any work


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Directory to create the corpus in.")],
) -> None:
    """Create a corpus: a new git repository with provdiff's settings and its git diff driver."""
    corpus = _run(lambda: api.init(path))
    typer.echo(f"Created provdiff corpus in {corpus.root}")


@app.command("git-setup")
def git_setup(corpus: CorpusOption = None) -> None:
    """Register provdiff as git's diff driver in this corpus (once per clone: git does not clone it).

    Then `git diff` shows aligned word diffs of article texts, and `git log -p` / `git show` show
    them one sentence per line (add --ext-diff for the word diff there too).
    """
    program = _run(lambda: api.git_setup(_corpus(corpus)))
    typer.echo(f"git diff driver 'provdiff' set: {program} git-diff (textconv: git-textconv)")


@app.command("git-diff", hidden=True)
def git_diff(
    args: Annotated[list[str], typer.Argument(help="What git passes an external diff driver.")],
) -> None:
    """Git's external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE."""
    raise typer.Exit(drivers.diff_driver(args))


@app.command("git-textconv", hidden=True)
def git_textconv(file: Annotated[Path, typer.Argument(help="The file git converts.")]) -> None:
    """Git's textconv filter: an article text with one sentence per line."""
    raise typer.Exit(drivers.textconv(str(file)))


@app.command()
def ingest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, directories (recursive) or - for standard input.", show_default=False),
    ] = None,
    corpus: CorpusOption = None,
    source: Annotated[str | None, typer.Option(help="Source (outlet) name; default: the URL's host.")] = None,
    url: Annotated[str | None, typer.Option(help="URL of the article (one article only).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, ISO 8601.")] = None,
    title: Annotated[str | None, typer.Option(help="Title, overriding the one found.")] = None,
    article_id: Annotated[
        str | None, typer.Option("--id", help="Native id within the source (one article only).")
    ] = None,
    manifest: Annotated[Path | None, typer.Option(help="TOML manifest of files with their metadata.")] = None,
    lang: Annotated[
        str | None,
        typer.Option(help="Language of the articles (ISO 639-1: ko, ja, zh, de...); default: detected."),
    ] = None,
    reader: Annotated[
        Format | None, typer.Option("--reader", help="Reader to use instead of detecting it.")
    ] = None,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going",
            help="Store the good inputs of a batch with bad ones, list each refused input with its reason "
            "and exit 1 (default: refuse the whole batch, store nothing).",
        ),
    ] = False,
    outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="Read symbolic links and manifest entries that lead outside the input's folder "
            "(refused by default: what is ingested stays in git history).",
        ),
    ] = False,
    revision_of: Annotated[
        str | None,
        typer.Option(
            "--revision-of",
            help="Store the one input as a new revision of ARTICLE (a renamed file, a moved page); "
            "its source is kept unless --source is given.",
            metavar="ARTICLE",
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(help="Largest input accepted, in bytes (per record of a JSON Lines file).", min=1)
    ] = DEFAULT_MAX_BYTES,
    message: Annotated[str, typer.Option("--message", "-m", help="Note added to the commit message.")] = "",
    strict: Annotated[
        bool,
        typer.Option(
            help="Refuse the batch when a new revision looks like a failed extraction (default: store it "
            "flagged as suspect-extraction)."
        ),
    ] = False,
    output: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            "--output-format",
            help="Output format: text or json (the reader is --reader).",
            metavar="<text|json>",
        ),
    ] = OutputFormat.TEXT.value,
) -> None:
    """Add articles, or new revisions of known ones, to the corpus in one commit.

    Every input is read and cleaned first; if any fails, nothing is stored.
    """
    chosen, input_format = _ingest_formats(output, reader)

    def action() -> str:
        when = None
        if published is not None:
            when = _parse_date(published)
            if when is None:
                raise OptionError(f"--published {published!r} is not a date; use ISO 8601 (2025-02-17)")
        given = _parse_lang(lang, "--lang") if lang is not None else None
        store = _corpus(corpus)
        named = source if source is not None or revision_of is None else api.source_of(store, revision_of)
        meta = Metadata(source=named, url=url, title=title, published=when, native_id=article_id, lang=given)
        names = inputs or []
        # never more than the limit plus one byte from a pipe: enough to refuse an oversize input
        stdin = sys.stdin.buffer.read(max_bytes + 1) if "-" in names else None
        items = api.collect_inputs(names, manifest, meta, input_format, stdin, outside=outside)
        options = read.ReadOptions(max_bytes=max_bytes)

        def run(progress: Callable[[int], None] | None = None) -> IngestOutcome:
            return api.ingest(
                store,
                items,
                options,
                note=message,
                strict=strict,
                progress=progress,
                revision_of=revision_of,
                keep_going=keep_going,
            )

        if len(items) < _PROGRESS_FROM or not sys.stderr.isatty():
            outcome = run()
        else:
            with typer.progressbar(length=len(items), label="ingesting", file=sys.stderr) as bar:
                outcome = run(bar.update)
        refused[:] = outcome.refused
        if chosen is OutputFormat.JSON:
            return corpus_report.ingest_json(outcome)
        return corpus_report.ingest_text(outcome)

    refused: list[str] = []
    typer.echo(_run(action))
    for line in refused:
        typer.echo(f"refused: {line}", err=True)
    if refused:
        raise typer.Exit(1)


def _ingest_formats(output: str, reader: Format | None) -> tuple[OutputFormat, Format | None]:
    """(output format, reader) of ``ingest``. ``--format`` chose the reader until it became the
    output format, as on every other command: a reader's name there (``--format html``) still
    works for this release, with one warning line saying what to write instead."""
    if output in {f.value for f in OutputFormat}:
        return OutputFormat(output), reader
    if output in {f.value for f in Format} and reader is None:
        typer.echo(
            f"Warning: --format {output} chooses the output format now; write --reader {output} "
            "(the old spelling stops working in the next release)",
            err=True,
        )
        return OutputFormat.TEXT, Format(output)
    typer.echo(
        f"Error: --format {output!r} is not an output format; use text or json (a reader: --reader)",
        err=True,
    )
    raise typer.Exit(2)


TimeoutOption = Annotated[float, typer.Option(min=0.1, help="Seconds to wait for a connection or a read.")]
PageBytesOption = Annotated[int, typer.Option(help="Largest page accepted, in bytes.", min=1)]
IgnoreRobotsOption = Annotated[bool, typer.Option(help="Fetch even what robots.txt disallows.")]


@app.command()
def fetch(
    urls: Annotated[list[str], typer.Argument(help="Article URLs (http or https).", show_default=False)],
    corpus: CorpusOption = None,
    source: Annotated[str | None, typer.Option(help="Source (outlet) name; default: the URL's host.")] = None,
    timeout: TimeoutOption = 20.0,
    max_bytes: PageBytesOption = DEFAULT_MAX_BYTES,
    ignore_robots: IgnoreRobotsOption = False,
    message: Annotated[str, typer.Option("--message", "-m", help="Note added to the commit message.")] = "",
    strict: Annotated[bool, typer.Option(help="Refuse the run on a suspected extraction failure.")] = False,
) -> None:
    """Download pages and store them as new articles or new revisions, in one commit.

    Each URL's problem (network, HTTP status, size, robots.txt, no article text) is one line; the
    others are stored anyway. Exit 1 when any URL failed.
    """
    options = api.FetchOptions(timeout=timeout, max_bytes=max_bytes, robots=not ignore_robots)
    outcome, failures = _run(
        lambda: api.fetch(_corpus(corpus), urls, options, Metadata(source=source), message, strict=strict)
    )
    typer.echo(corpus_report.ingest_text(outcome))
    for line in failures:
        typer.echo(f"failed: {line}", err=True)
    if failures:
        raise typer.Exit(1)


@app.command()
def watch(
    corpus: CorpusOption = None,
    timeout: TimeoutOption = 20.0,
    max_bytes: PageBytesOption = DEFAULT_MAX_BYTES,
    ignore_robots: IgnoreRobotsOption = False,
) -> None:
    """Follow the feeds and pages listed in provdiff.toml: fetch what is new or due, store it in one commit.

    Made for cron or a systemd timer: one summary line, failures on stderr, a lock against overlapping
    runs; exit 1 only when the run achieved nothing (every fetch failed) or the corpus is unusable.
    """
    options = api.FetchOptions(timeout=timeout, max_bytes=max_bytes, robots=not ignore_robots)
    outcome, result = _run(lambda: api.watch(_corpus(corpus), options))
    typer.echo(watching.summary(result, outcome.added, outcome.updated))
    for line in result.failures:
        typer.echo(f"failed: {line}", err=True)
    succeeded = result.documents or result.not_modified or result.not_due or not result.failures
    if not succeeded:
        raise typer.Exit(1)


@app.command(name="list")
def list_articles(
    corpus: CorpusOption = None, output: FormatOption = OutputFormat.TEXT, out: OutOption = None
) -> None:
    """List the articles in the corpus with their revision counts."""

    def action() -> str:
        rows = _corpus(corpus).summaries()
        return corpus_report.list_json(rows) if output is OutputFormat.JSON else corpus_report.list_text(rows)

    _emit(_run(action), out)


@app.command()
def log(
    article: Annotated[
        str, typer.Argument(help="ARTICLE (its revisions) or ARTICLE@REV (its revisions up to REV).")
    ],
    corpus: CorpusOption = None,
    output: FormatOption = OutputFormat.TEXT,
    out: OutOption = None,
) -> None:
    """List the revisions of an article, oldest first (up to REV, as git log REV does)."""

    def action() -> str:
        store = _corpus(corpus)
        ref = api.parse_ref(article)
        revisions = store.revisions(api.find_article(store, ref.article))
        if ref.revision is not None:
            _, upto = api.resolve(store, ref)
            revisions = revisions[: upto.number]
        return (
            corpus_report.log_json(revisions)
            if output is OutputFormat.JSON
            else corpus_report.log_text(revisions)
        )

    _emit(_run(action), out)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="ARTICLE, ARTICLE@N (revision number) or ARTICLE@COMMIT.")],
    corpus: CorpusOption = None,
    repairs: Annotated[bool, typer.Option(help="Also list every repair event.")] = False,
    raw: Annotated[bool, typer.Option(help="Write the raw bytes as received instead.")] = False,
    output: FormatOption = OutputFormat.TEXT,
    out: OutOption = None,
) -> None:
    """Show one version of an article: metadata, paragraphs and warnings."""
    article, revision = _run(lambda: api.resolve(_corpus(corpus), api.parse_ref(ref)))
    if raw:
        sys.stdout.buffer.write(article.raw)
        return
    if output is OutputFormat.JSON:
        _emit(corpus_report.show_json(article, revision), out)
    else:
        _emit(corpus_report.show_text(article, revision, repairs=repairs), out)


class ReportFormat(StrEnum):
    """Output formats of ``diff`` and the claim commands."""

    TERMINAL = "terminal"
    MARKDOWN = "markdown"
    JSON = "json"


class PageFormat(StrEnum):
    """Output formats of ``diff`` and ``report``: those of the claim commands, and a web page."""

    TERMINAL = "terminal"
    MARKDOWN = "markdown"
    JSON = "json"
    HTML = "html"


class Granularity(StrEnum):
    """Units ``diff`` aligns."""

    PARAGRAPH = "paragraph"
    SENTENCE = "sentence"


class Colour(StrEnum):
    """When to colour terminal output."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@app.command()
def diff(
    left: Annotated[str, typer.Argument(help="A: ARTICLE, ARTICLE@N, ARTICLE@COMMIT, or a file.")],
    right: Annotated[str, typer.Argument(help="B: the same forms as A.")],
    corpus: CorpusOption = None,
    output: Annotated[
        PageFormat, typer.Option("--format", "-f", help="Output format (html: one self-contained page).")
    ] = PageFormat.TERMINAL,
    granularity: Annotated[
        Granularity | None,
        typer.Option(
            help="Align paragraphs or sentences (default: paragraphs for two versions of one "
            "article, sentences otherwise)."
        ),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Fuzzy-match threshold, 0..1 (default 0.6).")
    ] = None,
    colour: Annotated[Colour, typer.Option("--color", help="Colour the terminal view.")] = Colour.AUTO,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Align two articles, revisions or files paragraph by paragraph or claim by claim.

    Exit status like diff(1): 0 when the two are the same, 1 when they differ, 2 on trouble.
    """
    try:
        finder = lambda: _corpus(corpus)  # noqa: E731 - opened only if a side is not a file
        side_a, side_b = api.diff_side(left, finder), api.diff_side(right, finder)
        options = None
        if granularity is not None or threshold is not None:
            same = side_a.article_id is not None and side_a.article_id == side_b.article_id
            chosen = granularity or (Granularity.PARAGRAPH if same else Granularity.SENTENCE)
            defaults = AlignOptions()
            options = AlignOptions(
                fuzzy=defaults.fuzzy if threshold is None else threshold,
                granularity=chosen.value,
                related=not same,
            )
        alignment = api.diff(side_a, side_b, options, finder)
    except ProvdiffError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from None
    if output is PageFormat.JSON:
        text = diff_report.as_json(alignment, side_a.label, side_b.label)
    elif output is PageFormat.HTML:
        text = html_report.diff_html(alignment, side_a.label, side_b.label)
    elif output is PageFormat.MARKDOWN:
        text = diff_report.markdown(alignment, side_a.label, side_b.label)
    else:
        use_colour = colour is Colour.ALWAYS or (
            colour is Colour.AUTO and out is None and sys.stdout.isatty()
        )
        text = diff_report.terminal(alignment, side_a.label, side_b.label, colour=use_colour)
    _emit(text, out)
    raise typer.Exit(0 if alignment.same else 1)


class StatusFilter(StrEnum):
    """Values of ``claims --status``."""

    RECURS = "recurs"
    VARIES = "varies"
    UNIQUE = "unique"
    CONFLICT = "conflict"


ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


def _emit(text: str, out: Path | None) -> None:
    _run(lambda: _stream([text.rstrip("\n")], out))


_PAGING = {"enabled": True}  # --no-pager turns it off for the run
# what reaches a reader's terminal: no control character but line breaks, tabs and provdiff's own
# colours (SGR, ``ESC [ n ; n m``); text stored before ingest cleaned them out is made safe here
_UNSAFE = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    return _UNSAFE.sub("", text)


def _pager() -> list[str] | None:
    """The pager command for terminal output, as git chooses one: ``PROVDIFF_PAGER``, else
    ``PAGER``, else ``less`` (with ``LESS=FRX``: it quits at once when the text fits the screen and
    keeps colours); None when stdout is no terminal, ``--no-pager`` was given or the pager is
    empty or ``cat``."""
    if not _PAGING["enabled"] or not sys.stdout.isatty():
        return None
    chosen = os.environ.get("PROVDIFF_PAGER", os.environ.get("PAGER", "less"))
    words = shlex.split(chosen)
    return None if not words or words == ["cat"] else words


def _page(pieces: Iterable[str], command: list[str]) -> None:
    """Feed ``pieces`` to the pager as they come; the reader quitting early is no error."""
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, text=True, encoding="utf-8")
    except OSError:
        for piece in pieces:  # no such pager: the text is not lost
            typer.echo(_safe(piece))
        return
    assert pager.stdin is not None
    try:
        for piece in pieces:
            pager.stdin.write(_safe(piece) + "\n")
        pager.stdin.close()
    except BrokenPipeError:
        pass
    pager.wait()


def _stream(pieces: Iterable[str], out: Path | None) -> None:
    """Write ``pieces`` as they come, each followed by a line break: a listing of millions of claim
    groups is never held whole. A file is written under a temporary name and renamed when complete,
    so a run that fails half-way leaves no half-written file; a symbolic link is written through to
    its target, and a FIFO or device (``-o /dev/stdout``, ``/dev/full``) is written to directly."""
    if out is None:
        pager = _pager()
        if pager is not None:
            _page(pieces, pager)
            return
        for piece in pieces:
            # color=True: click would strip the colours --color always asked for from a pipe
            typer.echo(_safe(piece), color=True)
        return
    target = out.resolve() if out.is_symlink() else out  # a link is written through, never replaced
    # a FIFO, a terminal, a device is written to as it is (a rename would replace the node itself)
    special = target.exists() and not target.is_file() and not target.is_dir()
    part = target if special else target.with_name(f".{target.name}.part")
    try:
        with part.open("w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece + "\n")
        if not special:
            part.replace(target)
    except OSError as exc:
        raise OptionError(f"cannot write {out}: {exc.strerror}; give --output a writable file") from None
    finally:
        if not special:
            part.unlink(missing_ok=True)


@app.command()
def doctor(corpus: CorpusOption = None) -> None:
    """Check the corpus (git objects, article files, work tree, claim index) and repair what git allows.

    Exit 0 when the corpus is healthy (after repairs), 1 when a problem remains.
    """
    fixed, problems = _run(lambda: api.doctor(_corpus(corpus)))
    for line in fixed:
        typer.echo(f"fixed: {line}")
    for line in problems:
        typer.echo(f"problem: {line}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("ok: git objects, article files, work tree and claim index are sound")


@app.command()
def reindex(corpus: CorpusOption = None) -> None:
    """Rebuild the claim index from git (it is derived state; this is always safe)."""

    def action() -> str:
        store = _corpus(corpus)
        revisions = len(store.timeline()) if sys.stderr.isatty() else 0
        if revisions < _PROGRESS_FROM:
            with api.open_claims_index(store, rebuild=True) as index:
                count = index.current_claim_count()
        else:  # a 100k-article corpus takes most of an hour
            bar = typer.progressbar(length=revisions, label="indexing", file=sys.stderr)
            with bar, api.open_claims_index(store, rebuild=True, progress=bar.update) as index:
                count = index.current_claim_count()
        return f"indexed {count} current claim(s) at {store.head()[:12]}"

    typer.echo(_run(action))


@app.command()
def claims(
    corpus: CorpusOption = None,
    status: Annotated[StatusFilter | None, typer.Option(help="Only groups with this status.")] = None,
    source: Annotated[str | None, typer.Option(help="Only groups with a claim from this source.")] = None,
    article: Annotated[str | None, typer.Option(help="Only groups with a claim from this article.")] = None,
    since: Annotated[str | None, typer.Option(help="Only groups with a claim seen on or after DATE.")] = None,
    output: ReportFormatOption = ReportFormat.TERMINAL,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show why each link was made: relation, rule, scores, figures, names."
        ),
    ] = False,
) -> None:
    """List claim groups: what recurs, what varies, what is unique, and where each came from."""

    def action() -> None:
        when = _since(since)
        with api.open_claims_index(_corpus(corpus)) as index:
            listed = index.articles()
            api.require_known("source", source, (row[1] for row in listed))
            api.require_known("article", article, (row[0] for row in listed), part=True)
            groups = api.filter_groups(
                api.iter_claim_groups(index), status.value if status else None, source, article, when
            )
            _stream(_renderer(claims_report, "groups", output)(groups, index.options, why=explain), out)

    _run(action)


@app.command()
def report(
    corpus: CorpusOption = None,
    output: Annotated[
        PageFormat, typer.Option("--format", "-f", help="Output format (html: one self-contained page).")
    ] = PageFormat.TERMINAL,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Summarize the corpus: claim groups by status, shared claims, conflicts, metadata warnings.

    With --format html: a page with the claim x source matrix (filter and search), the timeline of
    shared claims, the source audit and every article's text, each claim linked to where it sits.
    """

    def action() -> str:
        store = _corpus(corpus)
        with api.open_claims_index(store) as index:
            options = index.options
            if output is PageFormat.HTML:
                groups = api.claim_groups(index)
                data = claims_report.summary(groups, index.articles())
                articles = [store.load(article_id) for article_id in store.article_ids()]
                return html_report.report_html(groups, articles, api.audit(store, index), data)
            data = claims_report.summary(api.iter_claim_groups(index), index.articles())
        text: str = _renderer(claims_report, "report", output)(data, options)
        return text

    _emit(_run(action), out)


@app.command()
def blame(
    ref: Annotated[str, typer.Argument(help="ARTICLE, ARTICLE@N or ARTICLE@COMMIT.")],
    corpus: CorpusOption = None,
    output: ReportFormatOption = ReportFormat.TERMINAL,
    out: OutOption = None,
) -> None:
    """Show, per paragraph and sentence, where each first appeared in the corpus, or that it is original."""

    def action() -> str:
        store = _corpus(corpus)
        with api.open_claims_index(store) as index:
            article, revision, lines = api.blame(store, index, api.parse_ref(ref))
        text: str = _renderer(claims_report, "blame", output)(article, revision, lines)
        return text

    _emit(_run(action), out)


@app.command()
def match(
    text: Annotated[
        str | None,
        typer.Argument(
            help='The sentence(s) to look up ("-" reads them from standard input).', show_default=False
        ),
    ] = None,
    pairs: Annotated[
        Path | None,
        typer.Option(
            "--pairs",
            help="Judge the pairs of a TSV FILE instead (header naming id, a, b; - reads standard input).",
            show_default=False,
        ),
    ] = None,
    corpus: CorpusOption = None,
    output: FormatOption = OutputFormat.TEXT,
    limit: Annotated[int, typer.Option(min=1, help="At most this many matches per sentence.")] = 10,
    explain: Annotated[bool, typer.Option("--explain", help="Show the evidence of each match.")] = False,
) -> None:
    """Look a claim up: the corpus claims that state the same claim (relation, score, source, first
    seen), best first; or, with --pairs, whether each pair of sentences is one claim. Both judge by
    the relation that claims groups by."""

    def action() -> Iterator[str]:
        if (text is None) == (pairs is None):
            raise OptionError("give a sentence to look up, or --pairs FILE, not both")
        if pairs is not None:
            name = "standard input" if str(pairs) == "-" else str(pairs)
            try:
                data = sys.stdin.buffer.read() if str(pairs) == "-" else pairs.read_bytes()
            except OSError as exc:
                raise OptionError(f"cannot read {name}: {exc.strerror}; give --pairs a TSV file") from None
            judged = api.judge_pair_file(data, name)
            return (
                claims_report.pairs_json(judged)
                if output is OutputFormat.JSON
                else claims_report.pairs_text(judged)
            )
        query = sys.stdin.read() if text == "-" else text or ""
        with api.open_claims_index(_corpus(corpus), postings=True) as index:
            found = api.match(index, query, limit)
            options = index.options
        if output is OutputFormat.JSON:
            return iter([claims_report.matches_json(found, options)])
        return claims_report.matches_text(found, options, why=explain)

    _stream(_run(action), None)


@app.command()
def review(
    revisions: Annotated[
        str, typer.Argument(help="A git range: main..feature, HEAD~5..HEAD, or one revision (..HEAD).")
    ],
    corpus: CorpusOption = None,
    output: ReportFormatOption = ReportFormat.TERMINAL,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Review a range of corpus commits claim by claim: added, removed and changed claims, moves,
    claims that now recur, new conflicts.

    Exit status for CI: 0 when the range changes no claim substantively, 1 when it does, 2 on trouble.
    """
    try:
        result = api.review(_corpus(corpus), revisions)
    except ProvdiffError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _emit(_renderer(review_report, "review", output)(result), out)
    raise typer.Exit(1 if result.substantive else 0)


class EngineChoice(StrEnum):
    """Where ``copies`` runs."""

    LOCAL = "local"
    DASK = "dask"


@app.command()
def copies(
    corpus: CorpusOption = None,
    engine: Annotated[
        EngineChoice, typer.Option(help="local: worker processes here; dask: a Dask cluster (extra 'dask').")
    ] = EngineChoice.LOCAL,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786); default: a local Dask cluster."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (local engine, local Dask cluster).")
    ] = (os.cpu_count() or 1),
    output: ReportFormatOption = ReportFormat.TERMINAL,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Find copied claims across the whole corpus in bulk (verbatim, edited, figure-changed copies).

    The corpus-wide path for large corpora: hashed word 4-grams, no per-revision index. With
    --engine dask the same shares run on Dask, locally or on the scheduler given.
    """

    def action() -> list[ClaimGroup]:
        store = _corpus(corpus)
        if engine is EngineChoice.DASK:
            from provdiff.cluster.dask_engine import DaskEngine  # noqa: PLC0415 - optional extra

            runner = DaskEngine(scheduler, workers)
            try:
                groups = api.copy_groups(store, runner)
            finally:
                runner.close()
        else:
            if scheduler is not None:
                raise OptionError("--scheduler is for --engine dask")
            from provdiff.cluster.engine import LocalEngine  # noqa: PLC0415 - numpy: this command only

            groups = api.copy_groups(store, LocalEngine(workers))
        return groups

    groups = _run(action)
    _run(lambda: _stream(_renderer(claims_report, "groups", output)(groups, api.RelationOptions()), out))


@app.command()
def stories(
    corpus: CorpusOption = None,
    threshold: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Average similarity two groups of articles need to be one story."
        ),
    ] = StoryOptions().threshold,
    output: FormatOption = OutputFormat.TEXT,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Group the corpus's articles into stories (the events they report), without a story count."""

    def action() -> str:
        found = api.stories(_corpus(corpus), StoryOptions(threshold=threshold))
        if output is OutputFormat.JSON:
            return corpus_report.stories_json(found, threshold)
        return corpus_report.stories_text(found, threshold)

    _emit(_run(action), out)


@app.command()
def export(
    sqlite: Annotated[
        Path,
        typer.Option(
            "--sqlite",
            help="Write the corpus as plain SQLite tables to FILE (articles, revisions, claims, figures, "
            "groups, links, sources); browse it with datasette FILE.",
            metavar="FILE",
        ),
    ],
    corpus: CorpusOption = None,
) -> None:
    """Export the corpus for other tools: plain, documented SQLite tables (docs: browsing in Datasette)."""
    counts = _run(lambda: api.export_sqlite(_corpus(corpus), sqlite))
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    typer.echo(f"exported to {sqlite}: {summary}")


class AuditFormat(StrEnum):
    """Output formats of ``audit``."""

    TERMINAL = "terminal"
    MARKDOWN = "markdown"
    JSON = "json"
    CSV = "csv"


@app.command()
def audit(
    corpus: CorpusOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source's row.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only articles published (else first seen) on or after DATE.")
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(help="List the claims and revisions behind every count of SOURCE.", metavar="SOURCE"),
    ] = None,
    min_sample: Annotated[
        int, typer.Option(min=1, help="Mark rates resting on fewer claims, paragraphs or edits.")
    ] = 20,
    output: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AuditFormat.TERMINAL,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Describe each source by evidence: corroboration, conflicts, originality, edits, hygiene."""

    def action() -> str:
        options = api.AuditOptions(min_sample=min_sample, since=_since(since), source=source)
        store = _corpus(corpus)
        with api.open_claims_index(store) as index:
            sources = [row[1] for row in index.articles()]
            for name in (source, explain):
                api.require_known("source", name, sources)
            rows = api.audit(store, index, options)
        text: str = _renderer(audit_report, "audit", output)(rows, options, explain)
        return text

    _emit(_run(action), out)


def _since(value: str | None) -> str | None:
    """A ``--since`` option as a normalized date, or an option error that says how to write it."""
    if value is None:
        return None
    when = _parse_date(value)
    if when is None:
        raise OptionError(f"--since {value!r} is not a date; use ISO 8601 (2025-02-17)")
    return when


def main(args: list[str] | None = None) -> None:
    """The typer app's entry point (``provdiff.entry.main`` runs it): exit 0 or the command's
    status; a usage error (an unknown option or command, a bad value) is one ``Error:`` line naming
    the help to read, exit 2, like every other error (click would print the usage, a hint and the
    error on three lines)."""
    from typer._click.exceptions import (  # noqa: PLC0415 - typer vendors click and exports none
        ClickException,
        NoArgsIsHelpError,
        UsageError,
    )

    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="provdiff", standalone_mode=False)
    except NoArgsIsHelpError as exc:  # a bare ``provdiff`` or group: the help, as click shows it
        exc.show()
        sys.exit(exc.exit_code)
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "provdiff"
        typer.echo(f"Error: {exc.format_message().rstrip('.')}; see {where} --help", err=True)
        sys.exit(2)
    except ClickException as exc:
        typer.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Error: interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
