"""Repair of UTF-8 text that was once decoded with a legacy code page ("mojibake").

``Leeโ€™s`` is ``Lee’s`` whose UTF-8 bytes ``E2 80 99`` were read as Thai cp874 (``โ``, ``€``) with
windows-1252 filling cp874's holes. ftfy does not know that combination, and it also rewrites curly
quotes, which changes text that was never broken. This module instead inverts a table of legacy code
pages: a run of characters that maps back to bytes forming valid UTF-8 is replaced by what those bytes
say, and nothing outside such runs is touched.

Two guards keep real text safe:

* a code page is applied only when its runs account for most of the document's characters from that
  code page's upper half (real Thai or French text has many such characters outside any run);
* a run must decode as strict UTF-8, multi-byte sequences only.

When a byte had no character in the code page it was dropped on the way (``โ€`` then a space is
``”`` whose last byte ``9D`` is undefined in both cp874 and windows-1252). Such a two-character stub is
restored only when exactly one undefined byte completes it into a closing quote that closes an open
``“`` earlier in the same paragraph; otherwise it is left and flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from provdiff.model import Action, RepairEvent


@dataclass(frozen=True, slots=True)
class _CodePage:
    name: str
    to_byte: dict[str, int]  # upper-half character -> byte
    upper: re.Pattern[str]  # any upper-half character
    undefined: tuple[int, ...]  # upper-half bytes with no character (lost in transit)
    runs: re.Pattern[str]
    stubs: re.Pattern[str]  # a 3-byte lead + 1 continuation, the last byte lost


def _decoder(primary: str, fill: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        for codec in (primary, fill):
            try:
                table[byte] = bytes([byte]).decode(codec)
                break
            except UnicodeDecodeError:
                continue
    return table


def _charclass(table: dict[int, str], low: int, high: int) -> str:
    chars = "".join(re.escape(ch) for b, ch in table.items() if low <= b <= high)
    return f"[{chars}]"


@cache
def _code_pages() -> tuple[_CodePage, ...]:
    pages = []
    for name, primary, fill in (
        ("cp874+windows-1252", "cp874", "cp1252"),
        ("windows-1252", "cp1252", "latin-1"),
    ):
        table = _decoder(primary, fill)
        lead2, lead3 = _charclass(table, 0xC2, 0xDF), _charclass(table, 0xE0, 0xEF)
        lead4, cont = _charclass(table, 0xF0, 0xF4), _charclass(table, 0x80, 0xBF)
        runs = re.compile(f"(?:{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}})+")
        stubs = re.compile(f"{lead3}{cont}(?=(?:\\s|$|[.,;:!?)]))")
        undefined = tuple(b for b in range(0x80, 0xC0) if b not in table)
        upper = re.compile(_charclass(table, 0x80, 0xFF))
        pages.append(_CodePage(name, {ch: b for b, ch in table.items()}, upper, undefined, runs, stubs))
    return tuple(pages)


def _decode_run(page: _CodePage, run: str) -> str | None:
    try:
        return bytes(page.to_byte[ch] for ch in run).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


def _coverage(page: _CodePage, paragraphs: tuple[str, ...]) -> tuple[int, int]:
    """(upper-half characters inside decodable runs, upper-half characters in all).

    The total is counted only when some run decodes: most documents have none, and this function
    runs on every ingested document.
    """
    covered = 0
    for text in paragraphs:
        if text.isascii():
            continue
        for match in page.runs.finditer(text):
            if _decode_run(page, match.group()) is not None:
                covered += len(match.group())
        covered += 2 * len(page.stubs.findall(text))
    if not covered:
        return 0, 0
    return covered, sum(len(page.upper.findall(text)) for text in paragraphs)


def repair_mojibake(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[RepairEvent, ...]]:
    """Return the paragraphs with mojibake runs repaired, and one event per repaired run.

    Text mis-decoded twice (UTF-8 read as a code page, saved as UTF-8, read so again) is repaired
    a layer at a time until a pass changes nothing (at most ``_LAYERS`` passes): so repairing the
    output again changes nothing.

    >>> repair_mojibake(("Leeโ€™s visit", "โ€œnormalize tiesโ€ and",))[0]
    ('Lee’s visit', '“normalize ties” and')
    >>> repair_mojibake(("Lee’s visit — “quoted”", "café"))[0]
    ('Lee’s visit — “quoted”', 'café')
    >>> repair_mojibake(("the cafÃƒÂ© opened",))[0]
    ('the café opened',)
    """
    events: list[RepairEvent] = []
    for layer in range(_LAYERS):
        found = len(events)
        repaired = _repair_layer(paragraphs, events)
        if repaired == paragraphs:
            if layer:  # a later pass that changed nothing reports nothing
                del events[found:]
            break
        paragraphs = repaired
    return paragraphs, tuple(events)


_LAYERS = 4  # passes at most: text is seldom mis-decoded more than twice


def _repair_layer(paragraphs: tuple[str, ...], events: list[RepairEvent]) -> tuple[str, ...]:
    """One pass: the runs of the code page that covers most of the text, repaired."""
    best: tuple[int, _CodePage] | None = None
    for page in _code_pages():
        covered, total = _coverage(page, paragraphs)
        if covered and covered * 2 >= total and (best is None or covered > best[0]):
            best = (covered, page)
    if best is None:
        return paragraphs
    page = best[1]
    return tuple(_repair_paragraph(page, text, index, events) for index, text in enumerate(paragraphs))


def _repair_paragraph(page: _CodePage, text: str, index: int, events: list[RepairEvent]) -> str:
    def fix(match: re.Match[str]) -> str:
        fixed = _decode_run(page, match.group())
        if fixed is None:
            return match.group()
        events.append(
            RepairEvent(
                "mojibake",
                Action.REPAIRED,
                f"UTF-8 bytes read as {page.name}",
                before=match.group(),
                after=fixed,
                position=index,
            )
        )
        return fixed

    repaired = page.runs.sub(fix, text)
    return page.stubs.sub(lambda m: _restore_stub(page, m, index, events), repaired)


def _restore_stub(page: _CodePage, match: re.Match[str], index: int, events: list[RepairEvent]) -> str:
    stub = match.group()
    before = match.string[: match.start()]
    completions = []
    for byte in page.undefined:
        try:
            char = bytes([*(page.to_byte[ch] for ch in stub), byte]).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        if unicodedata.category(char) == "Pf":
            completions.append((byte, char))
    if len(completions) == 1 and before.count("“") > before.count("”"):
        byte, char = completions[0]
        events.append(
            RepairEvent(
                "mojibake",
                Action.REPAIRED,
                f"UTF-8 read as {page.name} with byte 0x{byte:02X} lost (undefined there); "
                "restored as the closing quote of an open “",
                before=stub,
                after=char,
                position=index,
            )
        )
        return char
    events.append(
        RepairEvent(
            "mojibake",
            Action.FLAGGED,
            f"looks like UTF-8 read as {page.name} with a lost byte; no single safe repair",
            before=stub,
            position=index,
        )
    )
    return stub
