"""Where sentences end, in any script: one rule set for every language, chosen by the characters.

A sentence is a claim, so a splitter that merges six Korean sentences into one makes one claim of
them. The rules read the script of the text around each stop, not a language tag, so a paragraph
splits the same whatever the article's language is said to be, and a quoted English sentence in a
German article splits as English:

* Latin stops (``. ! ? … ...`` and the Arabic ``؟``) end a sentence before whitespace and a
  sentence start: a capital, a digit, or a letter of a script without case (Hangul, Han, Arabic).
  A lower-case word after the stop continues the sentence, in every cased script.
* Full-width stops (``。！？``, and an ellipsis after a Han or kana character) end a sentence with
  or without a space, unless they stand inside an open 「」 or 『』 quote, or a quotative
  particle follows the closing quote (「…。」と述べた).
* A period after an abbreviation or an initial does not end a sentence, except before a word
  that only starts sentences ("…2,6 Mio. Das ist…", "…Apple Inc. The company…"). Titles ("Dr.",
  "Sen.", "Sra.") never end one: a name follows. In Cyrillic, where nouns are not capitalized, any
  capital after an abbreviation starts a sentence ("…1,2 млрд руб. Годом ранее…").
* A German ordinal ("am 3. Oktober") is not a sentence end; nor is a Korean quote closed by a
  quotative particle ("…않겠다." 라고 말했다).

Measured on the fixtures of ``tests/fixtures/sentences`` by ``benchmarks/eval_sentences.py``,
beside Wikimedia's ``sentencex`` when it is installed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A stop, with the closing quotes and brackets after it.
_CLOSERS = "\"'”’“)]»」』）》〉"  # “ closes a German quote („…“)
_STOP = re.compile(rf"(?:\.{{2,}}|…+|[.!?؟]+|[。！？]+)[{re.escape(_CLOSERS)}]*")
_OPENERS = "\"'“‘([«„「『（《〈¿¡"
_FULL_WIDTH = "。！？"
# Japanese and Korean quotative endings after a closing quote: the quote is part of the sentence.
_QUOTATIVE_JA = ("と", "って", "との", "という", "、", "，")
_QUOTATIVE_KO = ("라고", "라며", "라는", "라면서", "며", "고 ", "하고", "이라고", "이라며", "란")

# Abbreviations (lower case, without the dot) after which a name follows: never a sentence end.
_TITLES = frozenset(
    (
        "mr mrs ms dr prof rev st jr sr sen rep gov gen lt col maj capt sgt adm cmdr pres supt insp "
        "hr fr frau hrn dipl ing mag "  # German
        "sra srta dra dña dn lic ing arq "  # Spanish
        "m mm mme mlle me mgr pr "  # French
        "sig dott avv "  # Italian
        "г гг им ул пр проф акад тов гн г-н г-жа"  # Russian
    ).split()
)
# Other abbreviations: a sentence ends after one only before a word that starts sentences.
_ABBREVIATIONS = frozenset(
    (
        "inc corp co ltd llc plc dept univ assn bros no nos vol fig approx est vs etc "
        "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
        "ave blvd rd mt ft "
        "bzw ca evtl ggf inkl usw vgl zb zt mio mrd bio tsd nr abs jh jhd str tel "  # German
        "aprox avda etc pág núm tel ej "  # Spanish
        "env av bd cf éd p ex "  # French
        "ecc pag "  # Italian
        "млн млрд трлн тыс руб коп долл др т е д п см стр рис"  # Russian
    ).split()
)
# Words that only start sentences (or clauses), capitalized: after an abbreviation, a new sentence.
_STARTERS = frozenset(
    (
        "the a an he she it we they i this that these those there but and in on at his her its their "
        "der die das dem den des ein eine es er sie wir ich im am auch dort damit dann doch so nun "
        "el la los las un una se lo allí así pero en este esta "
        "le les il elle ils elles nous on ce cette c'est mais "
        "lo gli questo questa ma "
        "это он она они мы в на но и"
    ).split()
)
_MONTHS = frozenset(
    ("januar februar märz april mai juni juli august september oktober november dezember jänner").split()
)


@lru_cache(maxsize=1 << 16)
def sentence_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence; the gaps between spans are the spaces that separated them
    (none between sentences of Chinese or Japanese, written without).

    >>> p = "The U.S. and Lee Jae-Myung met. Sen. Jim Risch (R-ID) spoke on $350B. He left!"
    >>> [p[s:e] for s, e in sentence_spans(p)]
    ['The U.S. and Lee Jae-Myung met.', 'Sen. Jim Risch (R-ID) spoke on $350B.', 'He left!']
    >>> p = "会談した。「交渉は最終段階にある。」と述べた。"
    >>> [p[s:e] for s, e in sentence_spans(p)]
    ['会談した。', '「交渉は最終段階にある。」と述べた。']
    """
    spans = []
    start = 0
    size = len(paragraph)
    for stop in _STOP.finditer(paragraph):
        end = stop.end()
        if end >= size:
            break
        if _ends(paragraph, start, stop.start(), end):
            spans.append((start, end))
            start = end
            while start < size and paragraph[start] == " ":
                start += 1
    if start < size:
        spans.append((start, size))
    return tuple(spans)


def _ends(text: str, start: int, mark: int, end: int) -> bool:
    """Whether the stop ``text[mark:end]`` (closers included) ends the sentence begun at ``start``."""
    full = text[mark] in _FULL_WIDTH or (text[mark] == "…" and mark > 0 and _cjk(text[mark - 1]))
    closed = text[end - 1] in _CLOSERS
    after = end
    while after < len(text) and text[after] == " ":
        after += 1
    if after == len(text):
        return False
    rest = text[after : after + 4]
    if full:
        if _inside_quote(text, start, end):
            return False
        return not (closed and rest.startswith(_QUOTATIVE_JA))
    if after == end:  # a Latin stop must be followed by a space
        return False
    if closed and rest.startswith(_QUOTATIVE_KO):
        return False
    following = text[after:].lstrip(_OPENERS)
    if not following:
        return False
    first = following[0]
    if not (first.isdigit() or first.isupper() or _caseless(first)):
        return False
    if text[mark] != "." or text.startswith("..", mark):
        return True
    return not _abbreviated(text, start, mark, following)


def _abbreviated(text: str, start: int, mark: int, following: str) -> bool:
    """Whether the period at ``mark`` closes an abbreviation, an initial or an ordinal, so that
    ``following`` (a capital, digit or caseless letter) does not start a new sentence."""
    space = max(text.rfind(" ", start, mark), text.rfind("(", start, mark), start - 1)
    word = text[space + 1 : mark]
    word = word.lstrip(_OPENERS)
    if not word:
        return False
    bare = word.lower().replace(".", "")
    next_word = following.split(" ", 1)[0].rstrip(",;:")
    if word.isdigit():  # "am 3. Oktober": a German ordinal date
        return len(word) <= 2 and next_word.lower() in _MONTHS
    if bare in _TITLES:
        return True
    initial = len(word) == 1 and word.isalpha()
    dotted = "." in word and all(len(part) <= 2 for part in word.split("."))  # "U.S", "J.P"
    twin = len(word) == 2 and word.isupper() and word[0] == word[1]  # Spanish "EE. UU."
    if not (initial or dotted or twin or bare in _ABBREVIATIONS):
        return False
    if next_word.lower() in _STARTERS:
        return False
    # Cyrillic capitalizes names only: after anything but an initial, a capital starts a sentence
    return initial or not _cyrillic(following[0])


def _inside_quote(text: str, start: int, end: int) -> bool:
    """Whether ``text[:end]`` leaves a 「」, 『』 or ASCII double quote of this sentence open."""
    part = text[start:end]
    return (
        part.count("「") > part.count("」") or part.count("『") > part.count("』") or part.count('"') % 2 == 1
    )


def _cjk(char: str) -> bool:
    """A Han, kana or Hangul character (scripts written without spaces or without case)."""
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7a3"


def _caseless(char: str) -> bool:
    """A letter of a script without capitals (Hangul, Han, kana, Arabic, Hebrew, Thai, ...)."""
    return char.isalpha() and not char.islower() and unicodedata.category(char) == "Lo"


def _cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"
