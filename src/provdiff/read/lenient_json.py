"""A JSON parser that keeps whatever it read before the input broke off.

News exports arrive truncated (a capped HTTP body, a copy-paste cut short) and with raw control
characters inside strings. ``json.loads`` then returns nothing at all; this parser returns the
partial value built so far and says whether the input was complete, so a reader can salvage the
title, dates and the paragraphs that did arrive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NUMBER_PREFIX = re.compile(r"-?(?:\d+(?:\.\d*)?(?:[eE][+-]?\d*)?)?\Z")  # a number cut short
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WHITESPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class Partial:
    """The value read and whether the text held a whole, well-formed JSON value."""

    value: JsonValue
    complete: bool


class _Truncated(Exception):
    """Raised inside the parser when the text ends mid-value; carries the partial value."""

    def __init__(self, value: JsonValue) -> None:
        super().__init__("truncated")
        self.value = value


class _Malformed(Exception):
    """Raised when the text is not JSON at all at some position (not merely cut short)."""


def parse(text: str) -> Partial:
    """Parse ``text`` as JSON, returning the longest well-formed prefix when it is truncated.

    >>> parse('{"a": [1, 2], "b": "x')
    Partial(value={'a': [1, 2], 'b': 'x'}, complete=False)
    >>> parse('{"a": 1}').complete
    True

    Raises ``ValueError`` when the text is not JSON even as a prefix (for example plain prose).
    """
    try:
        return Partial(json.loads(text, strict=False), True)
    except (ValueError, RecursionError):  # malformed, a 5,000-digit number, nested 50k deep
        pass
    parser = _Parser(text)
    try:
        value = parser.value()
    except _Truncated as cut:
        return Partial(cut.value, False)
    except _Malformed as exc:
        raise ValueError(str(exc)) from None
    parser.skip_ws()
    # Trailing garbage after a whole value: keep the value, report the input as not clean.
    return Partial(value, parser.pos >= len(text))


_MAX_DEPTH = 200  # deeper than any real post; the parser recurses once per level


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def skip_ws(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        self.pos = pos

    def peek(self, partial: JsonValue) -> str:
        self.skip_ws()
        if self.pos >= len(self.text):
            raise _Truncated(partial)
        return self.text[self.pos]

    def value(self) -> JsonValue:
        char = self.peek(None)
        if char in "{[":
            if self.depth >= _MAX_DEPTH:
                raise _Malformed(f"nested more than {_MAX_DEPTH} levels deep at position {self.pos}")
            self.depth += 1
            try:
                return self.obj() if char == "{" else self.arr()
            finally:
                self.depth -= 1
        if char == '"':
            return self.string()
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return val
            if word.startswith(self.text[self.pos :]):
                raise _Truncated(None)
        match = _NUMBER.match(self.text, self.pos)
        if match is None and _NUMBER_PREFIX.match(self.text, self.pos):
            raise _Truncated(None)
        if match is None:
            raise _Malformed(f"unexpected {char!r} at character {self.pos}")
        self.pos = match.end()
        number = match.group()
        if self.pos >= len(self.text):
            raise _Truncated(None)  # a number cut at the end may have lost digits
        return float(number) if any(c in number for c in ".eE") else int(number)

    def obj(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {}
        self.pos += 1
        if self.peek(out) == "}":
            self.pos += 1
            return out
        while True:
            if self.peek(out) != '"':
                raise _Malformed(f"expected a key at character {self.pos}")
            try:
                key = self.string()
            except _Truncated:
                raise _Truncated(out) from None
            if self.peek(out) != ":":
                raise _Malformed(f"expected ':' at character {self.pos}")
            self.pos += 1
            try:
                out[key] = self.value()
            except _Truncated as cut:
                if cut.value is not None:
                    out[key] = cut.value
                raise _Truncated(out) from None
            char = self.peek(out)
            self.pos += 1
            if char == "}":
                return out
            if char != ",":
                raise _Malformed(f"expected ',' or '}}' at character {self.pos - 1}")

    def arr(self) -> list[JsonValue]:
        out: list[JsonValue] = []
        self.pos += 1
        if self.peek(out) == "]":
            self.pos += 1
            return out
        while True:
            try:
                out.append(self.value())
            except _Truncated as cut:
                if cut.value is not None:
                    out.append(cut.value)
                raise _Truncated(out) from None
            char = self.peek(out)
            self.pos += 1
            if char == "]":
                return out
            if char != ",":
                raise _Malformed(f"expected ',' or ']' at character {self.pos - 1}")

    def string(self) -> str:
        text = self.text
        pos = self.pos + 1
        parts: list[str] = []
        while True:
            end = pos
            while end < len(text) and text[end] not in '"\\':
                end += 1
            parts.append(text[pos:end])
            if end >= len(text):
                self.pos = end
                raise _Truncated(_join(parts))
            if text[end] == '"':
                self.pos = end + 1
                return _join(parts)
            escape = text[end + 1 : end + 2]
            if escape == "u":
                digits = text[end + 2 : end + 6]
                if len(digits) < 4:
                    self.pos = len(text)
                    raise _Truncated(_join(parts))
                try:
                    parts.append(chr(int(digits, 16)))
                except ValueError:
                    parts.append(text[end : end + 6])
                pos = end + 6
            elif escape == "":
                self.pos = len(text)
                raise _Truncated(_join(parts))
            else:
                parts.append(_ESCAPES.get(escape, escape))
                pos = end + 2


def _join(parts: list[str]) -> str:
    """Join string pieces, pairing ``\\uD83D\\uDE00``-style surrogate escapes into real characters.

    A lone surrogate cannot be written as UTF-8, so one left unpaired becomes U+FFFD.
    """
    joined = "".join(parts)
    if any("\ud800" <= ch <= "\udfff" for ch in joined):
        return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return joined
