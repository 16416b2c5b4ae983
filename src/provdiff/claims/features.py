"""What the relation reads of one claim, computed from its text alone.

A claim's features depend on nothing but its text (and, later, its language): no corpus statistic,
no other article. That is what lets the relation of two claims be a function of the two claims, so
that groups are a function of the corpus whatever the order it was ingested in.

* ``wording``: every word, stemmed (plural -s, -ies), function words too: what a restatement repeats;
  its numbers are left out, so that a changed figure reads as the same wording with other figures;
* ``terms``: content words, adjacent content-word pairs and figures: the candidate keys;
* ``measures``: the figures by unit (``%``, ``USD``, ``""`` for a count of 100 or more, years left
  out), which agree or disagree unit by unit;
* ``entities``: the names, as runs of capitalized words (titles left out), each a place (ISO code)
  or a set of name words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from provdiff.claims.lexicon import TITLES, place, root_weight, zipf_rare
from provdiff.segment import figures, match_key, plain, skeleton, states_something
from provdiff.segment.language import confident

_STOP = frozenset(
    (
        "a an the and or but if then so of to in on at by for with from as into onto about over under "
        "between through during before after above below up down out off again further once here there "
        "when where why how all any both each few more most other some such only own same than too very "
        "can will just should now is are was were be been being have has had having do does did doing "
        "i me my we our you your he him his she her it its they them their what which who whom this that "
        "these those am would could may might must shall also said says say according while because "
        "until against among per via like new one two first last year years week time"
    ).split()
)
_NAME_SPELLING = 80  # rapidfuzz ratio at which two name words of five letters or more are one
_POSSESSIVE = re.compile(r"['’]s\b")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")  # a word or a number
# a name word: an acronym with dots ("U.S.") or a word; capitalization is checked on the match
_NAME_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_][\w'’-]*")
# a word of ``_NAME_WORD`` that starts with a capital (the only ones that can be names)
_UPPER = "".join(
    sorted(chr(c) for c in (*range(0x250), *range(0x370, 0x530)) if chr(c).isupper())
)  # Latin, Greek, Cyrillic
_CAPITALIZED = re.compile(rf"(?<![\w'’.-])(?:[{_UPPER}]\.(?:[A-Za-z]\.)+|[{_UPPER}][\w'’-]*)")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Lower case, plural -s and -ies off (cached: a corpus repeats a small vocabulary).

    >>> stem("Tariffs"), stem("companies"), stem("press")
    ('tariff', 'company', 'press')
    """
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Stemmed words of three letters or more that are not stopwords or bare numbers, in order:
    what says what a whole article is about (story grouping).

    >>> content_words("Lee's visit to the U.S. shipyards, 2025")
    ['lee', 'visit', 'shipyard']
    """
    flat = _POSSESSIVE.sub("", plain(text))
    return [
        stem(w) for w in _TOKEN.findall(flat) if len(w) > 2 and w.lower() not in _STOP and not w[0].isdigit()
    ]


@dataclass(frozen=True, slots=True)
class Entity:
    """A name as written ("South Korea", "Lee Jae-myung"), its place code if it is one, its words in
    lower case (two names are one entity when they are one place or share a word), and whether it
    stands as the sentence's subject or speaker (``entities``)."""

    name: str
    place: str | None
    words: frozenset[str]
    subject: bool = False

    def matches(self, other: Entity) -> bool:
        """One place, or (neither a place) a shared name word, spelling slips forgiven: "Lee" =
        "Lee Jae-myung", "Sundwell" = "Sundwall", "DVD-CCA" = "DVD CCA"."""
        if self.place is not None or other.place is not None:
            return self.place == other.place
        if self.words & other.words or _initials(self, other) or _initials(other, self):
            return True
        return any(
            len(x) > 4 and len(y) > 4 and fuzz.ratio(x, y) >= _NAME_SPELLING
            for x in self.words
            for y in other.words
        )


def _initials(short: Entity, long: Entity) -> bool:
    """True when ``short`` is an acronym of ``long``'s words: "AP" = "Associated Press", "H-P" =
    "Hewlett-Packard" (MRPC's outlets name one company both ways)."""
    letters = "".join(c for c in short.name if c.isalpha())
    if not (2 <= len(letters) <= 5 and letters.isupper()):
        return False
    parts = [w for w in re.split(r"[\s-]+", long.name) if w and w.lower() not in _STOP]
    return len(parts) == len(letters) and all(w[0].upper() == c for w, c in zip(parts, letters, strict=True))


@dataclass(frozen=True, slots=True)
class Features:
    """Everything the relation reads of one claim (see the module docstring)."""

    text: str
    key: str  # ``segment.match_key``: equal keys are the same sentence (a verbatim copy)
    skeleton: str  # ``segment.skeleton``: the sentence with every figure replaced by its unit
    states: bool  # ``segment.states_something``: datelines and furniture are never linked
    wording: frozenset[str]
    terms: frozenset[str]
    measures: tuple[tuple[str, frozenset[str]], ...]  # (unit, figure tokens), by unit
    entities: tuple[Entity, ...]
    # each word's share of the wording's weight (``lexicon.root_weight``), and their sum
    roots: dict[str, float] = field(default_factory=dict, compare=False, hash=False, repr=False)
    mass: float = 0.0
    lang: str | None = None  # ``segment.language.confident``: pairs in two are judged by meaning

    @property
    def has_measure(self) -> bool:
        """A figure with a unit (an amount, a percent): a shared one is a shared fact."""
        return any(unit for unit, _ in self.measures)


@lru_cache(maxsize=1 << 16)
def features(text: str) -> Features:
    """The features of a claim's text (cached: grouping asks for a claim's features per pair).

    >>> f = features("Japan's Prime Minister Ishiba said Tokyo agreed to a 15% tariff on cars.")
    >>> [e.name for e in f.entities], [e.place for e in f.entities], f.measures
    (['Japan', 'Ishiba', 'Tokyo'], ['JP', None, 'JP'], (('%', frozenset({'15%'})),))
    """
    flat, words, by_unit, held_terms = _lexical(text)
    wording = frozenset(words)
    roots = {w: root_weight(w) for w in wording}
    return Features(
        text=text,
        key=match_key(text),
        skeleton=skeleton(text),
        states=states_something(text),
        wording=wording,
        terms=held_terms,
        measures=tuple((unit, frozenset(held)) for unit, held in sorted(by_unit.items())),
        entities=entities(flat),
        roots=roots,
        mass=sum(roots.values()),
        lang=confident(text),
    )


@dataclass(frozen=True, slots=True)
class Terms:
    """What candidate generation reads of a claim (``claims.candidates``): whether it states
    something, and its terms. A fifth of the cost of its ``Features``, which only the claims of
    candidate pairs need."""

    states: bool
    terms: frozenset[str]


def terms(text: str) -> Terms:
    """The ``Terms`` of a claim's text: the same terms as its ``features``."""
    return Terms(states_something(text), _lexical(text)[3])


def _lexical(text: str) -> tuple[str, list[str], dict[str, set[str]], frozenset[str]]:
    """(plain text without possessives, stemmed words outside figures, figure tokens by unit, terms):
    what ``terms`` and ``features`` share."""
    flat = _POSSESSIVE.sub("", plain(text))
    found = figures(flat)
    # the words around the figures: "$350 billion" and "$100 billion" share no wording
    bare = flat
    for figure in reversed(found):
        bare = bare[: figure.start] + " " + bare[figure.end :]
    words = [w for t in _TOKEN.findall(bare) if not t[0].isdecimal() for w in _words(t)]
    content = [w for w in words if len(w) > 1 and w not in _STOP]
    by_unit: dict[str, set[str]] = {}
    for figure in found:
        if figure.unit or (figure.value >= 100 and not 1900 <= figure.value <= 2100):
            by_unit.setdefault(figure.unit, set()).add(figure.token)
    held = {*content, *(f"{x}_{y}" for x, y in pairwise(content))}
    held.update(f"#{token}" for tokens in by_unit.values() for token in tokens)
    return flat, words, by_unit, frozenset(held)


def _words(token: str) -> list[str]:
    """The words of a token: itself stemmed; for Han, kana or Hangul, its overlapping character
    pairs. Chinese and Japanese write no spaces, so a whole clause is one token, and a Korean word
    carries its particle ("정상회담을"): pairs of characters are the words that two wordings of one
    claim share, as CJK search engines index them (정상, 상회, 회담, 담을)."""
    if token[0] < "\u3040" or len(token) < 3:
        return [stem(token)]
    return [token[i : i + 2] for i in range(len(token) - 1)]


_SUBJECT_WORDS = 4  # a name starting among a sentence's first words is taken for its subject
# verbs that make the name before them a speaker: "Ishiba said", "Lee told reporters"
_SPEECH = frozenset(
    "said says told tells added adds announced announces stated states warned warns argued argues wrote "
    "writes noted notes insisted insists claimed claims confirmed confirms denied denies".split()
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "today tomorrow yesterday".split()
)


def entities(flat: str) -> tuple[Entity, ...]:
    """The names of a plain sentence: runs of capitalized words (titles, days and months left out),
    once each. A hyphenated word counts for its capitalized part ("U.S.-backed" names the U.S.).

    A capitalized first word is a name only if it is a known place, runs on into another name word,
    or is rare in general language ("Officials said" and "Teenagers at" are no names; "Japan said",
    "Ishiba said" are). A name that starts among the sentence's first ``_SUBJECT_WORDS`` words, or
    comes right before a verb of speech, is its *subject*: claims whose subjects are two others
    are about other subjects (``claims.evidence``).

    >>> [(e.name, e.subject) for e in entities("Officials said South Korea's President Lee met Trump.")]
    [('South Korea', True), ('Lee', False), ('Trump', False)]
    >>> [(e.name, e.subject) for e in entities("Prime Minister Ishiba told reporters in Tokyo.")]
    [('Ishiba', True), ('Tokyo', False)]
    """
    flat = _POSSESSIVE.sub("", flat)
    # only capitalized words can be names: the regex finds them, and the words between are counted
    # only where a rule asks (a sentence's first words, the word after a name), not one by one
    runs: list[tuple[list[str], int, int]] = []  # the names' words, where they start and end
    current: list[str] = []
    last_end = -1
    first = 0
    for match in _CAPITALIZED.finditer(flat):
        word, start, end = _name_part(match.group()), match.start(), match.end()
        named = _is_name(word)
        if named and _NAME_WORD.search(flat, 0, start) is None:  # the sentence's first word
            # a common word runs into a name only directly ("South Korea"), not across a comma
            # ("Responding, Edward Skyler said")
            following = _NAME_WORD.search(flat, end)
            runs_on = following is not None and not flat[end : following.start()].strip()
            named = (
                place(word) is not None
                or zipf_rare(word)
                or (following is not None and runs_on and _is_name(following.group()))
            )
        adjacent = flat[last_end:start].strip() == "" if last_end >= 0 else False
        if current and not (named and adjacent):
            runs.append((current, first, last_end))
            current = []
        if named:
            if not current:
                first = start
            current.append(word)
            last_end = start + len(word)
        else:
            last_end = -1
    if current:
        runs.append((current, first, last_end))
    seen: dict[str, Entity] = {}
    for run, start, end in runs:
        name = " ".join(run)
        after = _NAME_WORD.search(flat, end)
        subject = len(_NAME_WORD.findall(flat, 0, start)) < _SUBJECT_WORDS or (
            after is not None and after.group().lower() in _SPEECH
        )
        known = seen.get(name)
        if known is None or (subject and not known.subject):
            words = frozenset(part for w in run for part in w.lower().rstrip(".").split("-") if part)
            seen[name] = Entity(name, place(name), words, subject)
    return tuple(seen.values())


def _name_part(word: str) -> str:
    """A word, or the capitalized part of a hyphenated one ("U.S.-backed" -> "U.S.")."""
    head, dash, tail = word.partition("-")
    return head if dash and head[:1].isupper() and tail[:1].islower() else word


def _is_name(word: str) -> bool:
    """A capitalized word (or dotted acronym) that is no title, day, month or stopword."""
    if not (word[:1].isupper() and (len(word) > 1 or "." in word)):
        return False
    lower = word.lower().rstrip(".")
    return lower not in TITLES and lower not in _CALENDAR and lower not in _STOP
