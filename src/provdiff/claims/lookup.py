"""A claim lookup, as fact-checkers' claim-matching tools offer: which claims of a corpus state
the same claim as a sentence given now, and is each of a list of pairs one claim.

Both ask ``relation.judge``, the relation ``claims`` groups by, with the corpus's options: a
match here is a link there. Which corpus claims are judged is ``candidates.lookup``, the rule of
the corpus's own candidate pairs applied to the new sentence against the index's postings, so
the lookup judges what an ingest of the sentence would. One thing differs, and says so: the
context rule of ``batch`` (a weak link stands only between articles that an anchored link also
joins) needs the sentence's article, which a lookup has not; such matches are marked ``weak``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from provdiff.claims import meaning
from provdiff.claims.batch import anchors
from provdiff.claims.candidates import lookup, node_hash, term_hashes
from provdiff.claims.features import features
from provdiff.claims.groups import claim_order
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import Judgement, judge, judge_texts
from provdiff.errors import InputError
from provdiff.model import Claim, Relation
from provdiff.segment import sentences

# best first: a copy before a restatement before a shared fact, then by score
_RANK = {
    Relation.VERBATIM: 0,
    Relation.EDITED_COPY: 1,
    Relation.FIGURE_VARIANT: 2,
    Relation.REWORDED: 3,
    Relation.OVERLAPS: 4,
}
PAIR_COLUMNS = ("id", "a", "b")


class Postings(Protocol):
    """What a lookup reads of a corpus (``index.Index`` provides it)."""

    def postings(self, terms: Sequence[int], limit: int) -> dict[int, list[int]]: ...

    def node_claims(self, nodes: Sequence[int]) -> list[Claim]: ...

    def meanings_of(self, texts: Sequence[str]) -> dict[str, bytes]: ...


@dataclass(frozen=True, slots=True)
class Match:
    """A corpus claim that states the same claim as the sentence looked up, and how."""

    claim: Claim
    judgement: Judgement
    weak: bool  # a link that the corpus would keep only in context (``batch.anchors`` false)


@dataclass(frozen=True, slots=True)
class Lookup:
    """One sentence looked up, and its matches, best first."""

    text: str
    matches: tuple[Match, ...]


def match_text(
    corpus: Postings, text: str, options: RelationOptions, limit: int | None = None
) -> list[Lookup]:
    """Each sentence of ``text`` (split as ingest splits), with the corpus claims that state the
    same claim: at most ``limit`` per sentence, best first (copies, then restatements, then shared
    facts; by score; then first seen)."""
    return [_match_sentence(corpus, sentence, options, limit) for sentence in sentences(text)]


def _match_sentence(corpus: Postings, text: str, options: RelationOptions, limit: int | None) -> Lookup:
    hashes, _ = term_hashes([text])
    terms = hashes.tolist()
    own = node_hash(text)
    nodes = lookup(terms, corpus.postings(terms, options.gram_cap), options, own)
    claims = corpus.node_claims([own, *nodes])
    texts = sorted({c.text for c in claims})
    if options.semantic:
        for other, data in corpus.meanings_of(texts).items():
            meaning.remember(other, data)
    query = features(text)
    judged = {other: judge(query, features(other), options) for other in texts}
    found = [
        Match(claim, judged[claim.text], not anchors(judged[claim.text], options))
        for claim in claims
        if judged[claim.text].same
    ]
    found.sort(key=lambda m: (_RANK[m.judgement.relation], -m.judgement.score, claim_order(m.claim)))
    return Lookup(text, tuple(found[:limit] if limit is not None else found))


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of a pairs file: its id and two sentences."""

    id: str
    a: str
    b: str


def read_pairs(lines: Iterable[str], name: str) -> Iterator[Pair]:
    """The pairs of a TSV file (``name`` for errors): a header row naming at least ``id``, ``a`` and
    ``b`` (other columns ignored), then one pair per row. Quotes are text (MRPC's sentences hold
    them), not field delimiters."""
    rows = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if header is None:
        raise InputError(f"{name}: empty; give a TSV file with a header row naming id, a and b")
    header = [column.strip().lstrip("\ufeff") for column in header]
    missing = [column for column in PAIR_COLUMNS if column not in header]
    if missing:
        raise InputError(
            f"{name}: the header row has no column {', '.join(missing)} "
            f"(found {', '.join(header) or 'nothing'}); name the columns id, a and b, tab-separated"
        )
    at = [header.index(column) for column in PAIR_COLUMNS]
    for number, row in enumerate(rows, 2):
        if not any(field.strip() for field in row):
            continue
        if len(row) <= max(at):
            raise InputError(
                f"{name}, line {number}: {len(row)} field(s) where the header names {len(header)}; "
                "separate the fields with tabs"
            )
        yield Pair(*(row[i] for i in at))


def judge_pairs(pairs: Iterable[Pair], options: RelationOptions) -> Iterator[tuple[Pair, Judgement]]:
    """Each pair with the relation's judgement of its two sentences, in the order given."""
    for pair in pairs:
        yield pair, judge_texts(pair.a, pair.b, options)
