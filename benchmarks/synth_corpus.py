"""A generated news corpus with planted truth, for the grouping benchmarks.

Sources publish articles about stories; each article has ~15 paragraphs of 2-4 sentences. Most
sentences are new (unique claims, words drawn Zipf-like from the vocabulary of ``benchmarks.synth``,
so articles share common words and phrases as real ones do). With probability ``shared`` a sentence
restates a claim an earlier article of the same story made, as one of:

- a *verbatim* copy;
- an *edited* copy: one or two words substituted, inserted or deleted;
- a *figure* change: the same sentence with another amount (a conflict to flag).

Every sentence carries its family (the claim it states), so every pair of sentences in one family is
a true pair and every other pair is false: recall and precision of any grouping can be measured.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from benchmarks.synth import _NAMES, _VOCABULARY
from provdiff.model import Article, Format, Metadata

VERBATIM, EDITED, FIGURE = "verbatim", "edited", "figure"
# Share of new sentences that carry an amount: 7% of the sentences of ECB+'s real multi-outlet news
# carry a figure (2.4% an amount of money). An earlier version put an amount in half of them.
AMOUNT_SHARE = 0.07


@dataclass
class Claim:
    family: int
    kind: str  # "new", VERBATIM, EDITED or FIGURE
    origin: int = -1  # index of the claim it copies (-1 for a new claim)


@dataclass
class SynthCorpus:
    """Articles as (article_id, source, published, paragraphs) and the truth of every sentence.

    ``truth[a][p]`` lists the families of article ``a``'s paragraph ``p``'s sentences, in order.
    """

    articles: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    truth: list[list[list[Claim]]] = field(default_factory=list)

    def sentences(self) -> int:
        return sum(len(p) for article in self.truth for p in article)

    def first(self, count: int) -> SynthCorpus:
        """The corpus of the first ``count`` articles (their truth refers to no later article)."""
        return SynthCorpus(self.articles[:count], self.truth[:count])

    def article(self, number: int) -> Article:
        """Article ``number`` as ingest hands it to the claim index (its text is already clean)."""
        article_id, source, published, paragraphs = self.articles[number]
        return Article(article_id, Metadata(source=source, published=published), Format.TEXT, paragraphs)


class _Words:
    """Word ids drawn in bulk from the Zipf law (numpy), handed out a sentence at a time."""

    def __init__(self, rng: np.random.Generator) -> None:
        weights = 1.0 / np.arange(1, len(_VOCABULARY) + 1)
        self.p = weights / weights.sum()
        self.rng = rng
        self.buffer = np.empty(0, dtype=np.int64)
        self.at = 0

    def take(self, k: int) -> list[str]:
        if self.at + k > len(self.buffer):
            self.buffer = self.rng.choice(len(_VOCABULARY), size=1 << 20, p=self.p)
            self.at = 0
        ids = self.buffer[self.at : self.at + k]
        self.at += k
        return [_VOCABULARY[i] for i in ids]


def _amount(tenths: int, unit: str) -> str:
    """``$12.3 billion`` or ``$850 million``: an amount token of ``tenths`` tenths of a ``unit``."""
    whole, tenth = divmod(tenths, 10)
    return f"${whole}.{tenth} {unit}" if tenth else f"${whole} {unit}"


def _new_amount(rng: random.Random) -> str:
    """An amount from a range as wide as reporting uses: $1 to $999.9, in millions or billions.

    Two unrelated claims of a story then share an exact amount about as rarely as real ones do; an
    earlier version drew every amount from 900 whole billions, so each story had about a hundred
    such coincidences, which no news story has.
    """
    return _amount(rng.randint(10, 9999), rng.choice(("million", "billion")))


def _tokens(words: list[str], name: str, amount: str | None) -> list[str]:
    """A sentence's tokens: words with a name and often an amount placed among them."""
    tokens = list(words)
    tokens.insert(min(2, len(tokens)), name)
    if amount is not None:
        tokens.insert(min(5, len(tokens)), amount)
    return tokens


def _sentence(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return text[0].upper() + text[1:] + "."


def generate(articles: int, seed: int = 7, shared: float = 0.08, sources: int = 200) -> SynthCorpus:
    """``articles`` articles in stories of about 20; ``shared`` is the share of restated sentences."""
    rng = random.Random(seed)
    words = _Words(np.random.default_rng(seed))
    corpus = SynthCorpus()
    # per story: the claims an article may restate, as (family, tokens)
    pools: dict[int, list[tuple[int, list[str]]]] = {}
    families = 0
    stories = max(1, articles // 20)
    for number in range(articles):
        story = rng.randrange(stories)
        pool = pools.setdefault(story, [])
        source = f"outlet-{rng.randrange(sources):03d}"
        day = 1 + number * 3650 // max(articles, 1)
        published = f"{2015 + day // 365:04d}-{1 + day % 365 // 31:02d}-{1 + day % 31 % 28:02d}"
        paragraphs: list[str] = []
        truth: list[list[Claim]] = []
        for _ in range(rng.randint(13, 17)):
            texts: list[str] = []
            claims: list[Claim] = []
            for _ in range(rng.randint(2, 4)):
                if pool and rng.random() < shared:
                    family, tokens = rng.choice(pool)
                    figure = [k for k, token in enumerate(tokens) if token.startswith("$")]
                    kind = rng.choices((VERBATIM, EDITED, FIGURE), weights=(5, 3, 2 if figure else 0))[0]
                    if kind == FIGURE:
                        shown, unit = tokens[figure[0]][1:].split()
                        amount = _amount(round(float(shown) * 10) + 10 * rng.randint(1, 90), unit)
                        tokens = [*tokens[: figure[0]], amount, *tokens[figure[0] + 1 :]]
                    elif kind == EDITED:
                        tokens = _edit(rng, tokens, words)
                    texts.append(_sentence(tokens))
                    claims.append(Claim(family, kind))
                    continue
                value = _new_amount(rng) if rng.random() < AMOUNT_SHARE else None
                tokens = _tokens(words.take(rng.randint(10, 20)), rng.choice(_NAMES), value)
                texts.append(_sentence(tokens))
                claims.append(Claim(families, "new"))
                if value is not None or rng.random() < 0.3:  # figures are what outlets repeat
                    pool.append((families, tokens))
                families += 1
            paragraphs.append(" ".join(texts))
            truth.append(claims)
        corpus.articles.append((f"{source}/a{number:06d}", source, published, tuple(paragraphs)))
        corpus.truth.append(truth)
    return corpus


def _edit(rng: random.Random, tokens: list[str], words: _Words) -> list[str]:
    """One or two words substituted, inserted or deleted; names and amounts stay (that is a
    figure change, planted apart)."""
    edited = list(tokens)
    for _ in range(rng.randint(1, 2)):
        at = rng.randrange(len(edited))
        if edited[at].startswith("$") or edited[at][:1].isupper():
            continue
        action = rng.randrange(3)
        if action == 0:
            edited[at] = words.take(1)[0]
        elif action == 1:
            edited.insert(at, words.take(1)[0])
        elif len(edited) > 6:
            del edited[at]
    return edited
