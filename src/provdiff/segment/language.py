"""Which language a text is in: its script first, then, for Latin and Cyrillic, its function words.

The script settles most cases and costs one pass over the characters: Hangul is Korean, kana is
Japanese, Han without kana is Chinese, Arabic letters are Arabic. Latin and Cyrillic texts are told
apart by the words every sentence of a language is made of ("the", "und", "que", "les", "и"):
a vote over a few dozen such words per language. A statistical detector (``py3langid``: right on
all 172 fixture sentences, 52 us each) needs 0.7 s to load its model, longer than ingesting an
article; the vote needs nothing and is right on the same sentences (``benchmarks/eval_sentences.py``
prints both). A text with no vote (a name, a figure) has no language of its own: ``detect``
gives ``None`` and the caller keeps the article's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from provdiff.errors import OptionError

# ISO 639-1 codes provdiff tells apart; ``--lang`` accepts these.
LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pt", "ru", "uk", "zh")

_WORDS = {  # the non-English lists leave out words English also writes ("in", "is", "per", "no")
    "en": "the of and to in is was that for on with as by at from it he she they has have are "
    "were said will not this be an which who its their after but or",
    "de": "der die das und ist nicht ein eine mit von dem des im auf für sich auch wird wurde "
    "sind zu bei nach haben aus einem einer vor über sie es noch",
    "es": "el la los las de del que y en un una por con para es se su al lo como más pero sus "
    "fue según ha han este esta entre también sobre",
    "fr": "le la les de des du et un une en que qui dans pour pas sur au aux par il elle ce "
    "sont avec ont été cette mais selon leur",
    "it": "il lo la gli le di del della che e è un una con non sono nel nella dei anche ha alla più questo",
    "pt": "o os de da dos das que e em um uma para com não por se na mais foi ao pelo pela são também",
    "nl": "de het een en dat te voor met zijn niet aan ook als bij door werd wordt naar maar",
    "ru": "и в не на что с по как из за от для это он она они к у о но был была были его её также уже после",
    "uk": "і в не на що з за як від для це він вона вони до у та але був була його також вже після",
}
_VOTES = {
    word: [lang for lang, words in _WORDS.items() if word in words.split()]
    for word in {w for words in _WORDS.values() for w in words.split()}
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_UKRAINIAN = frozenset("іїєґІЇЄҐ")
_WEIGHT = {"hangul": 3, "han": 3, "kana": 2}
# letters that only some of the Latin-script languages write, each a vote for them
_LETTERS = {
    **dict.fromkeys("ñ¿¡", ("es",)),
    **dict.fromkeys("ßäöü„", ("de",)),
    **dict.fromkeys("èêùœîïë«»", ("fr",)),
    **dict.fromkeys("ç", ("fr", "pt")),
    **dict.fromkeys("ãõ", ("pt",)),
    **dict.fromkeys("òì", ("it",)),
    **dict.fromkeys("áíóú", ("es", "pt")),
}
_ELIDED = re.compile(r"(?<![^\W\d_])(?:l|d|qu|c|n|s|j)['’](?=[^\W\d_])")  # French l'usine, d'euros


def detect(text: str) -> str | None:
    """The language of ``text`` (an ISO 639-1 code of ``LANGUAGES``), or ``None`` when it holds
    too little to tell (a name, a number, a short heading).

    >>> detect("한국은 미국에 3500억 달러를 투자한다."), detect("Die Regierung hat das Paket beschlossen.")
    ('ko', 'de')
    """
    return _guess(text)[0]


def article_language(paragraphs: Sequence[str], given: str | None = None) -> str | None:
    """The language of an article: ``given`` (``--lang``), else the vote over its whole text,
    which a few paragraphs in another language do not swing. The paragraphs' tallies are summed
    (each cached), so an article's text is read once for it and its paragraphs together."""
    return given or _decide(_Tally.of(_tally(p) for p in paragraphs))[0]


def paragraph_languages(paragraphs: Sequence[str], given: str | None = None) -> tuple[str | None, ...]:
    """Each paragraph's language: its own where it tells one (an English quote in a Korean
    article), else the article's. ``given`` (``--lang``) sets the article's, not a paragraph's of
    another script or clear vote."""
    article = article_language(paragraphs, given)
    return tuple(confident(paragraph) or article for paragraph in paragraphs)


def parse_lang(value: object, where: str) -> str:
    """A language code as a user gives it (``--lang``, a manifest's ``lang``), lower case; an
    ``OptionError`` naming the codes provdiff knows otherwise."""
    code = str(value).strip().lower()
    if code not in LANGUAGES:
        raise OptionError(f"{where}: unknown language {value!r}; use one of {', '.join(LANGUAGES)}")
    return code


def confident(text: str) -> str | None:
    """The language of ``text`` when it says so clearly on its own: by its script, or by two
    votes or more (a short English sentence with one stray vote is no French one)."""
    lang, votes, _ = _guess(text)
    return lang if lang is not None and (votes == 0 or votes >= 2) else None


def decimal_comma(text: str) -> bool:
    """Whether ``text`` writes a decimal comma and thousands points ("28.500 millones", "3,25"),
    as every language here but English, Arabic, Chinese, Japanese and Korean does. Only when
    the text says so clearly (two votes, and twice English's): a Swedish place name or a stray
    "na" in an English table must not turn "5,305" into 5.305. A short sentence with one vote
    reads the English way ("unas 300.000 personas" is 300), unless its form settles it
    ("1,5" is 1.5: English never writes a comma before one or two digits)."""
    lang, votes, english = _guess(text)
    if lang in (None, "en", "ar", "ja", "ko", "zh"):
        return False
    return lang in ("ru", "uk") or (votes >= 2 and votes >= 2 * english)


@dataclass(frozen=True, slots=True)
class _Tally:
    """What the vote reads of a text, additive over paragraphs: letters per script, function-word
    votes per language, the languages whose letters occur, French and Italian elisions, whether a
    Ukrainian letter occurs."""

    scripts: Counter[str]
    words: Counter[str]
    letters: frozenset[str]
    elided: Counter[str]
    ukrainian: bool

    @staticmethod
    def of(parts: Iterable[_Tally]) -> _Tally:
        scripts: Counter[str] = Counter()
        words: Counter[str] = Counter()
        elided: Counter[str] = Counter()
        letters: set[str] = set()
        ukrainian = False
        for part in parts:
            scripts.update(part.scripts)
            words.update(part.words)
            elided.update(part.elided)
            letters |= part.letters
            ukrainian = ukrainian or part.ukrainian
        return _Tally(scripts, words, frozenset(letters), elided, ukrainian)


@lru_cache(maxsize=1 << 14)
def _tally(text: str) -> _Tally:
    lowered = text.lower()
    found = Counter(_WORD.findall(lowered))
    words: Counter[str] = Counter()
    for word in found.keys() & _VOTES.keys():  # a set intersection, not a loop over every word
        for lang in _VOTES[word]:
            words[lang] += found[word]
    elided: Counter[str] = Counter()
    for mark in _ELIDED.findall(lowered):
        elided["fr"] += 1
        if mark in ("l'", "d'"):
            elided["it"] += 1
    chars = set(text)  # the distinct characters of a text are a few dozen
    letters = frozenset(lang for char in chars for lang in _LETTERS.get(char, ()))
    return _Tally(script_counts(text), words, letters, elided, bool(chars & _UKRAINIAN))


def _guess(text: str) -> tuple[str | None, int, int]:
    """(language, the votes it won, the votes English got); script-decided languages win 0."""
    return _decide(_tally(text))


def _decide(tally: _Tally) -> tuple[str | None, int, int]:
    counts = tally.scripts
    if not counts:
        return None, 0, 0
    # the script most of the text is in: a Hangul syllable or a Han character holds about as much
    # as three Latin letters (an English quote in a Korean article does not make it English)
    script = max(sorted(counts), key=lambda name: counts[name] * _WEIGHT.get(name, 1))
    if script in ("han", "kana"):
        return ("ja" if counts["kana"] else "zh"), 0, 0  # Japanese writes Han with kana, Chinese not
    if script in ("hangul", "arabic"):
        return {"hangul": "ko", "arabic": "ar"}[script], 0, 0
    if script == "cyrillic":
        return ("uk" if tally.ukrainian else "ru"), 0, 0
    votes = Counter({lang: n for lang, n in tally.words.items() if lang not in ("ru", "uk")})
    for lang in tally.letters:
        votes[lang] += 1  # a letter votes once: a name with three umlauts is not three German words
    votes.update(tally.elided)
    if not votes:
        return None, 0, 0
    best = max(votes.values())
    return min(lang for lang, count in votes.items() if count == best), best, votes["en"]  # a tie: first code


def script_counts(text: str) -> Counter[str]:
    """How many letters of ``text`` are of each script that decides a language."""
    counts: Counter[str] = Counter()
    if text.isascii():  # most of an English corpus: no per-character branches
        letters = sum(map(str.isalpha, text))
        if letters:
            counts["latin"] = letters
        return counts
    for char in text:
        if char < "\u0080":
            if char.isalpha():
                counts["latin"] += 1
        elif "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
            counts["hangul"] += 1
        elif "\u3040" <= char <= "\u30ff":
            counts["kana"] += 1
        elif "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
            counts["han"] += 1
        elif "\u0400" <= char <= "\u04ff":
            counts["cyrillic"] += 1
        elif "\u0600" <= char <= "\u06ff":
            counts["arabic"] += 1
        elif char.isalpha() and char <= "\u024f":
            counts["latin"] += 1
    return counts
