"""Stage ``segment``: paragraphs into sentences (claims), text into tokens, figures into one form.

Everything here is pure and lossless where it cuts text: sentences are spans of their paragraph, and
tokens joined give back the text, so the aligner can promise exact reconstruction.

Figures are normalized because the same claim is written many ways ("$350B", "$350 billion",
"350 billion dollars"; "15 percent", "15%"), and because a changed figure must read as an edit of the
same claim, not as one claim deleted and another added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from provdiff.segment.amounts import Figure, figures
from provdiff.segment.boundaries import sentence_spans

__all__ = [
    "Figure",
    "dates",
    "figures",
    "is_heading",
    "match_key",
    "names",
    "plain",
    "sentence_spans",
    "sentences",
    "skeleton",
    "states_something",
    "tokens",
]

# A word or a punctuation mark with the whitespace after it: half as many tokens as splitting the
# spaces off, which halves the work of every word diff, and a change never starts inside a space.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "\u00a0": " ",
    }
)


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (see ``sentence_spans``)."""
    return [paragraph[s:e] for s, e in sentence_spans(paragraph)]


# how a statement ends: a full stop, question or exclamation (any script), an ellipsis or a colon
# that opens a list, each before optional closing quotes and brackets
_ENDS = re.compile(r"[.!?:;…。！？：；؟۔।]\W*$")
_CASED = re.compile(r"[^\W\d_]")


def is_heading(paragraph: str) -> bool:
    """True for a paragraph that is page structure, not a claim: a subheading ("WHY IT MATTERS",
    "Key Takeaways", "한미 정상회담"), a caption line, a section title of a wiki page.

    A heading is short and ends in no sentence mark, and is written as headings are: in capitals,
    in title case (every word of four letters or more capitalised), or, in a script with no case,
    in a dozen characters or fewer. A sentence that lost its full stop ("Officials said the port
    reopened") is lower case after its first word, so it stays a claim.

    >>> is_heading("WHY IT MATTERS"), is_heading("Key Takeaways"), is_heading("The port reopened on Monday")
    (True, True, False)
    """
    text = paragraph.strip()
    words = text.split()
    if not words or len(words) > 12 or _ENDS.search(text):
        return False
    letters = _CASED.findall(text)
    cased = [ch for ch in letters if ch.lower() != ch.upper()]
    if not cased:
        return bool(letters) and len(text.replace(" ", "")) <= 12
    if len(cased) >= 2 and all(ch.isupper() for ch in cased):
        return True
    long_words = [w for w in words if sum(ch.isalpha() for ch in w) >= 4]
    return len(words) <= 8 and bool(long_words) and all(w[0].isupper() for w in long_words)


def tokens(text: str) -> list[str]:
    """Words and single punctuation marks, each with its trailing whitespace; lossless.

    >>> tokens(" It’s $350B. ")
    [' ', 'It', '’', 's ', '$', '350B', '. ']
    """
    return _TOKEN.findall(text)


@lru_cache(maxsize=1 << 12)
def plain(text: str) -> str:
    """Text with typographic quotes, dashes and spaces made plain and whitespace collapsed.

    Two texts equal under ``plain`` differ only cosmetically. Cached: verifying one pair of
    claims asks for each one's plain text four times (terms, wording, match key, skeleton).
    """
    return " ".join(text.translate(_QUOTES).split())


_DIGIT = re.compile(r"\d")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}}))\b",
    re.I,
)


_CLOCK_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_CONTENT = {*_MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NOT_CONTENT |= {name[:3] for name in _NOT_CONTENT} | {"edt", "est", "gmt", "utc", "cet", "pst", "pdt"}


@lru_cache(maxsize=1 << 16)
def states_something(text: str) -> bool:
    """True when a sentence has two words besides dates and times, so it can state a claim.

    A dateline ("Updated: July 7, 2012, 10:04 PM ET") is page furniture: two of them differ only in
    their figures, which made them figure variants (conflicts) of each other across unrelated
    articles of the ECB+ news (benchmarks/eval_links_ecbplus.py).

    >>> states_something("国家主席在北京会见了美国国务卿。"), states_something("8月7日")
    (True, False)
    """
    # the first two words decide for most sentences: matching verifies ~90 candidate claims of
    # other articles per new article, and finding every word of each was a third of verifying
    found = 0
    for match in _CLOCK_WORD.finditer(text):
        word = match.group()
        if word.lower() not in _NOT_CONTENT:
            # Chinese and Japanese write no spaces: a run of Han or kana holds a word per two
            found += len(word) // 2 if "\u3040" <= word[0] <= "\u9fff" else 1
            if found >= 2:
                return True
    return False


def dates(text: str) -> tuple[str, ...]:
    """Dates written in the text, normalized: ``2025-02-17``, ``--02-17`` (no year), ``2025-07``.

    >>> dates("Signed on Feb. 17, 2025, after talks on 3 March and in July 2025 (2025-02-16).")
    ('2025-02-17', '--03-03', '2025-07', '2025-02-16')
    """
    if not _DIGIT.search(text):  # every form has a day or a year; the full pattern is slow
        return ()
    found = []
    for match in _DATE.finditer(text):
        if match.group("iso"):
            found.append(match.group("iso"))
            continue
        month_name = match.group("m1") or match.group("m2") or match.group("m3")
        month = _MONTHS[month_name.lower()]
        day = match.group("d1") or match.group("d2")
        year = match.group("y1") or match.group("y2") or match.group("y3")
        if day is None:
            found.append(f"{year}-{month:02d}")
        else:
            found.append(f"{year or '-'}-{month:02d}-{int(day):02d}")
    return tuple(found)


def names(text: str) -> tuple[str, ...]:
    """Capitalized words other than a sentence's first, in order, once each: a rough name finder
    without a language model, enough to tell "Lee" from "Moon" in two versions of a claim.

    >>> names("Both leaders met Lee Jae-Myung in Seoul. They left.")
    ('Lee', 'Jae-Myung', 'Seoul')
    """
    found: dict[str, None] = {}
    for sentence in sentences(plain(text)):
        words = re.findall(r"[^\W\d_][\w'-]*", sentence)
        for word in words[1:]:
            if word[0].isupper() and len(word) > 1:
                found.setdefault(word)
    return tuple(found)


def _with_figures(text: str, render: Callable[[Figure], str]) -> str:
    """``plain`` text with each figure replaced by ``render(figure)``, whitespace collapsed."""
    flat = plain(text)
    parts, last = [], 0
    for figure in figures(flat):
        parts.append(flat[last : figure.start])
        parts.append(f" {render(figure)} ")
        last = figure.end
    parts.append(flat[last:])
    return " ".join("".join(parts).split())


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """Exact-match key: ``plain`` text with figures in canonical form ("$350B" = "$350 billion")."""
    return _with_figures(text, lambda figure: figure.token)


@lru_cache(maxsize=1 << 16)
def skeleton(text: str) -> str:
    """Lower-case ``plain`` text with every figure replaced by ``#`` and its unit.

    Two sentences that differ only in their figures have the same skeleton, so fuzzy matching pairs
    them and the edit check then reports the changed figure.
    """
    return _with_figures(text, lambda figure: f"#{figure.unit}").lower()
