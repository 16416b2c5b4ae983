"""What the relation knows about words before it sees any corpus: how informative a word is, which
capitalized words are titles rather than names, and which names are places.

Every weight here is fixed by the installed data, never by the corpus: a judgement of two claims must
not change because other articles were ingested first (issue: claim groups that depend on ingest
order). A word's weight comes from its frequency in general language (``wordfreq``, Zipf scale: 7
for "the", 3-4 for "tariff", 0 for a word the lists lack), so "the" and "said" weigh little and a
rare word or a name weighs much, as a corpus-wide inverse document frequency would, with no corpus.

Places: country names of the Unicode CLDR (through ``babel``, in English, Korean, Japanese, Chinese,
German, Spanish and French), plus the aliases, capitals and demonyms news writes for the countries it
reports on most. Two claims whose only places are different countries are about other subjects.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

_ZIPF_TOP = 8.0  # "the" is 7.7: the Zipf value at which a word weighs nothing
_NUMBER_WEIGHT = 0.8  # a number written in words' place ("15", "2025") says more than most words

# Capitalized words that are titles, offices or honorifics, not names: "Prime Minister Ishiba" and
# "Prime Minister Starmer" share no name.
TITLES = frozenset(
    (
        "mr mrs ms miss dr prof sir madam president prime minister ministers secretary chancellor premier "
        "governor senator sen rep representative congressman congresswoman mayor king queen prince "
        "princess chairman chairwoman chair ceo chief director general gen admiral adm colonel col "
        "lieutenant lt captain capt sergeant sgt officer judge justice ambassador envoy spokesman "
        "spokeswoman spokesperson deputy vice foreign defense defence finance trade commerce state "
        "interior home national first lady pope cardinal bishop rev reverend sheikh emir sultan "
        "speaker leader minority majority house senate parliament assembly cabinet ministry department "
        "office agency committee council party administration government federal"
    ).split()
)

# name (lower case, as written) -> ISO 3166 code, besides CLDR's country names
_PLACE_ALIASES = {
    "us": "US",
    "u.s": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a": "US",
    "america": "US",
    "united states of america": "US",
    "washington": "US",
    "american": "US",
    "americans": "US",
    "korea": "KR",
    "republic of korea": "KR",
    "seoul": "KR",
    "korean": "KR",
    "koreans": "KR",
    "south korean": "KR",
    "north korean": "KP",
    "pyongyang": "KP",
    "tokyo": "JP",
    "japanese": "JP",
    "beijing": "CN",
    "chinese": "CN",
    "prc": "CN",
    "taipei": "TW",
    "taiwanese": "TW",
    "moscow": "RU",
    "kremlin": "RU",
    "russian": "RU",
    "russians": "RU",
    "kyiv": "UA",
    "kiev": "UA",
    "ukrainian": "UA",
    "ukrainians": "UA",
    "uk": "GB",
    "u.k": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "london": "GB",
    "british": "GB",
    "paris": "FR",
    "french": "FR",
    "berlin": "DE",
    "german": "DE",
    "germans": "DE",
    "rome": "IT",
    "italian": "IT",
    "madrid": "ES",
    "spanish": "ES",
    "ottawa": "CA",
    "canadian": "CA",
    "canberra": "AU",
    "australian": "AU",
    "new delhi": "IN",
    "delhi": "IN",
    "indian": "IN",
    "mexico city": "MX",
    "mexican": "MX",
    "brasilia": "BR",
    "brazilian": "BR",
    "ankara": "TR",
    "turkish": "TR",
    "tehran": "IR",
    "iranian": "IR",
    "jerusalem": "IL",
    "israeli": "IL",
    "riyadh": "SA",
    "saudi": "SA",
    "cairo": "EG",
    "egyptian": "EG",
    "hanoi": "VN",
    "vietnamese": "VN",
    "manila": "PH",
    "filipino": "PH",
    "philippine": "PH",
    "jakarta": "ID",
    "indonesian": "ID",
    "bangkok": "TH",
    "thai": "TH",
    "islamabad": "PK",
    "pakistani": "PK",
    "kabul": "AF",
    "afghan": "AF",
    "baghdad": "IQ",
    "iraqi": "IQ",
    "damascus": "SY",
    "syrian": "SY",
}
_CLDR_LOCALES = ("en", "ko", "ja", "zh", "de", "es", "fr")


@lru_cache(maxsize=1 << 18)
def word_weight(word: str, lang: str = "en") -> float:
    """How much a (lower-case) word says, 0..1, from its frequency in general language.

    >>> word_weight("the") < 0.1 < word_weight("minister") < word_weight("tariff") < word_weight("xqzv")
    True
    """
    if word[:1].isdecimal():
        return _NUMBER_WEIGHT
    zipf = _zipf(word, lang)
    return max(0.0, min(1.0, 1.0 - zipf / _ZIPF_TOP))


@lru_cache(maxsize=1 << 18)
def root_weight(word: str) -> float:
    """The square root of ``word_weight``: what one word adds to a wording's weight (``claims.evidence``)."""
    return math.sqrt(word_weight(word))


def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency  # noqa: PLC0415 - ~0.1 s to load: only claims need it

    return float(zipf_frequency(word, lang))


_RARE_ZIPF = 3.0  # below this a word is rare in general language ("ishiba"; "teenagers" is 3.3)


def zipf_rare(word: str, lang: str = "en") -> bool:
    """True for a word rare in general language: a capitalized one that starts a sentence is then
    taken for a name ("Ishiba said"), a common one for a word ("Officials said")."""
    return _zipf(word.lower(), lang) < _RARE_ZIPF


@cache
def _places() -> dict[str, str]:
    """Every known place name (lower case) -> its ISO 3166 code."""
    from babel import Locale  # noqa: PLC0415 - CLDR data, read once

    found: dict[str, str] = {}
    for locale in _CLDR_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(name.lower(), code)
    found.update(_PLACE_ALIASES)
    return found


def place(name: str) -> str | None:
    """The ISO 3166 code of a place name (case ignored), or None.

    >>> place("South Korea"), place("Seoul"), place("U.S."), place("Lee")
    ('KR', 'KR', 'US', None)
    """
    return _places().get(name.lower())
