"""Synthetic news articles for benchmarks: deterministic, sized like real ones (~15 paragraphs).

Words follow a Zipf-like law over a vocabulary of common words plus 20,000 generated ones, as news
text does: a few words are everywhere and most are rare, which is what candidate generation relies
on. (A tiny vocabulary would make every sentence share rare-looking word pairs with every other.)
"""

from __future__ import annotations

import itertools
import random

_WORDS = (
    "government minister said talks would continue after the summit despite tariffs on steel and "
    "cars while officials in the capital warned that investment pledges depended on approval by "
    "parliament and analysts expected markets to react to the agreement on energy purchases defense "
    "spending troops alliance trade deal negotiations statement spokesperson reporters week month "
    "president prime election court police company shares growth inflation rates bank budget"
).split()
_NAMES = ("Seoul", "Washington", "Tokyo", "Beijing", "Lee", "Trump", "Ishiba", "Rubio", "Cho", "Mast")


_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ter",
    "son",
    "ra",
    "vel",
    "din",
    "po",
    "shu",
    "gar",
    "nel",
    "bri",
    "ost",
    "ume",
]
_RARE = ["".join(parts) for parts in itertools.islice(itertools.product(_SYLLABLES, repeat=4), 20000)]
_VOCABULARY = _WORDS + _RARE
_ZIPF = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(_VOCABULARY))))


def sentence(rng: random.Random) -> str:
    """One sentence with a name and often a figure, as claims in news copy have."""
    words = rng.choices(_VOCABULARY, cum_weights=_ZIPF, k=rng.randint(10, 22))
    words.insert(rng.randint(0, 3), rng.choice(_NAMES))
    if rng.random() < 0.5:
        words.insert(rng.randint(4, len(words)), f"${rng.randint(1, 900)} billion")
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, paragraphs: int = 15) -> str:
    """A plain-text article: a headline line, a blank line, then paragraphs of 2-4 sentences."""
    title = " ".join(rng.choices(_VOCABULARY, cum_weights=_ZIPF, k=7)).title()
    body = "\n\n".join(" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs))
    return f"{title}\n\n{body}\n"


def revise(rng: random.Random, text: str) -> str:
    """A plausible revision: one paragraph reworded and one figure changed."""
    head, body = text.split("\n\n", 1)
    paragraphs = body.strip("\n").split("\n\n")
    paragraphs[rng.randrange(len(paragraphs))] = sentence(rng) + " " + sentence(rng)
    return f"{head}\n\n" + "\n\n".join(paragraphs) + "\n"
