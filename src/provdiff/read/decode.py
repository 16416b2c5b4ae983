"""Bytes to text, refusing what is not text.

Decoding is the first place input can be wrong, so it is where empty, binary and oversize input is
refused with a message that names the file. UTF-8 is tried first and strictly: a document that decodes
as UTF-8 is never re-guessed, because guessing on valid UTF-8 is how mojibake is made.
"""

from __future__ import annotations

import codecs
import re

from provdiff.errors import BinaryInputError, EmptyInputError
from provdiff.model import Action, RepairEvent

# Magic numbers of formats people mistake for articles; named so the error can say what the file is.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or office document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x7fELF", "an executable"),
)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# Share of C0 control characters (besides tab, newline, carriage return, form feed) above which a
# decoded "text" is really binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.01


def decode(data: bytes, origin: str, declared: str | None = None) -> tuple[str, tuple[RepairEvent, ...]]:
    """Decode ``data`` to text with LF line ends, or raise an ``InputError`` naming ``origin``.

    ``declared`` is a charset the source announced (an HTTP ``Content-Type``); it is tried after a
    byte-order mark and strict UTF-8 (servers often announce Latin-1 for UTF-8 pages), before guessing.

    >>> decode("caf\\u00e9\\r\\n".encode(), "x")[0]
    'café\\n'
    """
    if not data.strip():
        raise EmptyInputError(f"{origin}: the input is empty; pass a file that holds article text")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(
                f"{origin}: this is {what}, not article text; extract the text first and ingest that"
            )
    events: list[RepairEvent] = []
    text = _decode_text(data, origin, events, declared)
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text) + 1:
        raise BinaryInputError(
            f"{origin}: the input holds binary data (control bytes), not text; check the file"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        events.append(RepairEvent("line-endings", Action.REPAIRED, "CR/CRLF line ends turned into LF"))
    return text, tuple(events)


def _decode_text(data: bytes, origin: str, events: list[RepairEvent], declared: str | None = None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise BinaryInputError(
                    f"{origin}: starts with a {encoding} byte-order mark but does not decode as "
                    f"{encoding} ({exc.reason} at byte {exc.start}); re-save it as UTF-8"
                ) from exc
    if b"\x00" in data[:4096]:
        raise BinaryInputError(
            f"{origin}: the input holds NUL bytes, so it is binary or UTF-16 without a byte-order "
            "mark; convert it to UTF-8 text first"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            events.append(
                RepairEvent("encoding", Action.REPAIRED, f"decoded as {declared}, as the source declared")
            )
            return text
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for non-UTF-8 input

    best = from_bytes(data).best()
    if best is None:
        raise BinaryInputError(
            f"{origin}: the bytes match no known text encoding; convert the file to UTF-8 first"
        )
    events.append(
        RepairEvent(
            "encoding",
            Action.REPAIRED,
            f"not valid UTF-8; decoded as {best.encoding} (detected by charset-normalizer)",
        )
    )
    return str(best)
