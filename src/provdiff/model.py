"""The vocabulary passed between pipeline stages.

Every stage takes and returns these frozen dataclasses, so that a stage can be tested, replaced or run
elsewhere without knowing who produced its input. Nothing here does I/O or imports a third-party library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# the size limit of one input (file, page, record), shared by the readers and the CLI's defaults
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class Format(StrEnum):
    """Input formats a reader exists for; the value is what ``--format`` accepts."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    WORDPRESS = "wordpress"
    JSONL = "jsonl"
    WARC = "warc"


class BodyKind(StrEnum):
    """How a document's body is written, which decides how normalization cuts it into paragraphs."""

    TEXT = "text"  # paragraphs separated by line breaks
    HTML_PAGE = "html-page"  # a whole page: main content must be found first
    HTML_FRAGMENT = "html-fragment"  # already the article body (WordPress content, rendered Markdown)


class Action(StrEnum):
    """What a repair event did to the text."""

    REPAIRED = "repaired"  # text replaced by a corrected form
    REMOVED = "removed"  # text dropped (kept in the event, never lost)
    FLAGGED = "flagged"  # nothing changed; a problem worth reporting


@dataclass(frozen=True, slots=True)
class RepairEvent:
    """One change (or one finding) made while turning raw bytes into an article.

    ``before``/``after`` keep the exact text involved so that no removal is silent and every repair
    can be audited or undone.
    """

    kind: str
    action: Action
    detail: str
    before: str = ""
    after: str = ""
    position: int | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about an article besides its text. Dates are ISO 8601 strings (UTC when known)."""

    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    guid: str | None = None
    native_id: str | None = None
    slug: str | None = None
    # ISO 639-1 code as given (``--lang``, a manifest's ``lang``); None: detected from the text
    # (``segment.language.article_language``), which is a function of the text and not stored here
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as a reader found it: the exact bytes plus a leniently parsed body and metadata."""

    data: bytes
    origin: str
    format: Format
    body: str
    body_kind: BodyKind
    meta: Metadata
    events: tuple[RepairEvent, ...] = ()
    captured_at: str | None = None  # when an archive captured it (a WARC record's date)
    http: tuple[tuple[str, str], ...] = ()  # status, ETag, Last-Modified... of a fetched page


@dataclass(frozen=True, slots=True)
class Article:
    """A normalized article: metadata, one string per paragraph, and the record of every repair."""

    article_id: str
    meta: Metadata
    format: Format
    paragraphs: tuple[str, ...]
    repairs: tuple[RepairEvent, ...] = ()
    raw: bytes = field(default=b"", repr=False)
    origin: str = ""  # where the raw bytes came from (file path, "-", "file.jsonl:3")
    captured_at: str | None = None  # capture time from a web archive: the revision's time
    http: tuple[tuple[str, str], ...] = ()  # HTTP facts of the fetch that got it (status, ETag, ...)


class RevisionKind(StrEnum):
    """Why a revision exists: the distinction matters to the audit (a re-extraction is not an edit)."""

    FIRST = "first"  # first record of the article
    UPDATE = "update"  # the source's content changed
    REEXTRACT = "re-extraction"  # same raw bytes, the reader's output changed
    METADATA = "metadata"  # same paragraphs, metadata (title, dates, URL) corrected
    SUSPECT = "suspect-extraction"  # changed so much at once that the reader more likely failed


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored version of an article, numbered from 1 in commit order."""

    article_id: str
    number: int
    commit: str
    committed_at: str
    kind: RevisionKind


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What one ingest run did to each article, and the commit it made (None when nothing changed)."""

    commit: str | None
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    reextracted: tuple[str, ...] = ()
    metadata: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()  # stored, flagged as suspected extraction failures
    refused: tuple[str, ...] = ()  # with --keep-going: the inputs left out, "NAME: why" each


class LinkKind(StrEnum):
    """What happened to a unit (paragraph or sentence) between two documents."""

    UNCHANGED = "unchanged"
    EDITED = "edited"
    MOVED = "moved"
    MOVED_EDITED = "moved-edited"
    SPLIT = "split"  # one unit of A became several consecutive units of B
    MERGED = "merged"  # several consecutive units of A became one unit of B
    ADDED = "added"
    DELETED = "deleted"


class EditKind(StrEnum):
    """Whether an edit changes what the text says."""

    COSMETIC = "cosmetic"
    SUBSTANTIVE = "substantive"


# One word-level change: (tag, first source token, end source token, replacement text), tag as in
# difflib ("replace", "delete", "insert").
PatchOp = tuple[str, int, int, str]
# difflib's opcode shape: (tag, i1, i2, j1, j2).
Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Link:
    """Units of A linked to units of B, why they were linked, and the word-level patch between them.

    ``patch`` turns the tokens of ``"\\n".join(A units)`` into ``"\\n".join(B units)``: applying
    every link's patch to A rebuilds B exactly.
    """

    kind: LinkKind
    a: tuple[int, ...]
    b: tuple[int, ...]
    reason: str
    score: float
    edit: EditKind | None = None
    edit_rule: str = ""
    patch: tuple[PatchOp, ...] = ()


@dataclass(frozen=True, slots=True)
class AlignOptions:
    """Every threshold of the matching cascade (scores 0..1), echoed in every report."""

    fuzzy: float = 0.6  # character similarity of figure-blind skeletons: same unit, edited
    split_merge: float = 0.8  # similarity of one unit with several consecutive joined units
    granularity: str = "paragraph"  # "paragraph" or "sentence"
    # different sources: units are paired by the claim relation (``provdiff.claims``), also many-to-many
    related: bool = False


@dataclass(frozen=True, slots=True)
class Alignment:
    """Two documents' units, the links that partition them, and difflib-shaped opcodes.

    Every unit of A is in exactly one link (possibly ``deleted``) and every unit of B in exactly one
    (possibly ``added``). ``opcodes`` describe the in-order backbone like ``SequenceMatcher``'s; moved
    units appear there as a delete plus an insert. ``related`` holds extra claim matches between units
    already linked elsewhere (one sentence of A restated across two of B).
    """

    a: tuple[str, ...]
    b: tuple[str, ...]
    links: tuple[Link, ...]
    opcodes: tuple[Opcode, ...]
    options: AlignOptions
    related: tuple[Link, ...] = ()

    @property
    def same(self) -> bool:
        """True when every link is unchanged (identical documents up to nothing at all)."""
        return all(link.kind is LinkKind.UNCHANGED and not link.patch for link in self.links)


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of one revision of an article, the unit that recurs, varies or stays unique.

    ``when`` is the article's published date, else the revision's ingest time: the moment the claim
    is known to have been public, which provenance orders by.
    """

    article_id: str
    revision: int
    paragraph: int
    sentence: int
    text: str
    source: str
    when: str

    @property
    def claim_id(self) -> str:
        """Stable id: ``ARTICLE@REV#pPARAsSENT`` (paragraph and sentence from 1)."""
        return f"{self.article_id}@{self.revision}#p{self.paragraph + 1}s{self.sentence + 1}"


class Relation(StrEnum):
    """How a claim relates to another source's claim it matches."""

    VERBATIM = "verbatim"  # the same sentence: a copy, not a second witness
    EDITED_COPY = "edited copy"  # nearly the same sentence (a copy with small edits)
    FIGURE_VARIANT = "figure variant"  # the same sentence with other figures
    REWORDED = "reworded"  # the same claim in other words: independent corroboration
    OVERLAPS = "overlaps"  # shares a fact (rare terms, figures) but says more or less: corroborates that
    # not links: what the relation says of a pair that is not the same claim
    COMPATIBLE = "compatible"  # related wording and nothing against: may share a group, corroborates nothing
    DIFFERENT = "different"  # another claim: another subject, other facts, or nothing in common


SAME = frozenset(
    (Relation.VERBATIM, Relation.EDITED_COPY, Relation.FIGURE_VARIANT, Relation.REWORDED, Relation.OVERLAPS)
)  # the relations that make two claims one claim (a link)
COPIES = frozenset((Relation.VERBATIM, Relation.EDITED_COPY, Relation.FIGURE_VARIANT))  # not witnesses


class GroupStatus(StrEnum):
    """What the corpus says about a claim."""

    RECURS = "recurs"  # two or more independent sources agree
    VARIES = "varies"  # several sources, with other figures or names
    UNIQUE = "unique"  # one independent source (copies of it may exist)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the relation judged a pair as it did: every score and every figure and name it weighed.

    Scores are 0..1. Figures are canonical tokens (``segment.Figure.token``); names are as written.
    """

    wording: float  # share of word weight the two claims repeat of each other (harmonic mean)
    copy: float  # character similarity of the two match keys
    skeleton: float  # character similarity with every figure replaced by its unit
    word_set: float = 0.0  # rapidfuzz token_set_ratio of the keys: the shorter one's words in the longer
    lengths: float = 0.0  # the shorter claim's word count over the longer's
    restates: float = (
        0.0  # the fitted model's probability that one restates the other (``claims.restatement``)
    )
    # cosine of the two sentences' vectors (``claims.meaning``), when the semantic model decided
    meaning: float | None = None
    shared_figures: tuple[str, ...] = ()
    differing_figures: tuple[tuple[str, str], ...] = ()  # (a's, b's) per unit they disagree on
    shared_names: tuple[str, ...] = ()
    names_only_a: tuple[str, ...] = ()
    names_only_b: tuple[str, ...] = ()
    other_subject: str = ""  # "Japan vs South Korea" when the two claims are about other subjects
    other_place: bool = False  # ... and the subjects are places (countries, capitals) with none in common
    # character similarity of the two sentences with every name blanked, when their subjects differ:
    # 1.0 for the same sentence about another person
    unnamed: float = 0.0
    reason: str = ""  # the rule that decided, in words


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """Two matching claims of different articles, how they relate, and any figure disagreement."""

    a: Claim
    b: Claim
    relation: Relation
    score: float
    conflict: str = ""  # "15% (unattributed-002) vs 20% (planted)" when figures disagree
    evidence: Evidence | None = None  # why: None only for links read from an older report


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims of several articles that state one thing, with status and provenance."""

    group_id: str
    status: GroupStatus
    claims: tuple[Claim, ...]  # oldest first: claims[0] is the first appearance
    links: tuple[ClaimLink, ...]
    independent_sources: tuple[str, ...]
    copies: tuple[str, ...]  # claim ids that are verbatim or edited copies of an earlier source
    variations: tuple[str, ...]  # what differs: "figures: ...", "names: ..."
    conflicts: tuple[str, ...]
    # claims whose own group is another that state this claim too (a sentence stating two facts):
    # they count as witnesses here, and are listed in ``claims`` of their own group only
    also: tuple[Claim, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source with a claim in the group (``also`` included), in order of first appearance."""
        return tuple(dict.fromkeys(claim.source for claim in self.claims + self.also))


@dataclass(frozen=True, slots=True)
class BlameLine:
    """Where one sentence of an article version came from."""

    claim: Claim
    introduced: int  # the revision of its own article that introduced the sentence
    first: Claim | None  # earliest appearance in another article, or None when original here
    relation: str  # how that appearance relates ("verbatim", "reworded", ...), "" when original
    # whether ``first.when`` is its article's published date; False: the revision's ingest time
    dated: bool = True


@dataclass(frozen=True, slots=True)
class Story:
    """Articles of several outlets reporting one event, oldest first."""

    number: int
    articles: tuple[tuple[str, Metadata], ...]  # (article id, metadata)
    # per article, in the same order: the member most similar to it and their cosine (why it is
    # here), None for an article alone in its story
    closest: tuple[tuple[str, float] | None, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(meta.source or "" for _, meta in self.articles))


@dataclass(frozen=True, slots=True)
class StoryOptions:
    """Where agglomeration stops: the average cosine similarity two groups of articles need."""

    threshold: float = 0.2
    min_df: int = 2  # a word in fewer articles says nothing about what two articles share
