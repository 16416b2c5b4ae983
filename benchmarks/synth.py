"""Synthetic news articles for benchmarks: deterministic, sized like real ones (~15 paragraphs)."""

from __future__ import annotations

import random

_WORDS = (
    "government minister said talks would continue after the summit despite tariffs on steel and "
    "cars while officials in the capital warned that investment pledges depended on approval by "
    "parliament and analysts expected markets to react to the agreement on energy purchases defense "
    "spending troops alliance trade deal negotiations statement spokesperson reporters week month "
    "president prime election court police company shares growth inflation rates bank budget"
).split()
_NAMES = ("Seoul", "Washington", "Tokyo", "Beijing", "Lee", "Trump", "Ishiba", "Rubio", "Cho", "Mast")


def sentence(rng: random.Random) -> str:
    """One sentence with a name and often a figure, as claims in news copy have."""
    words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 22))]
    words.insert(rng.randint(0, 3), rng.choice(_NAMES))
    if rng.random() < 0.5:
        words.insert(rng.randint(4, len(words)), f"${rng.randint(1, 900)} billion")
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, paragraphs: int = 15) -> str:
    """A plain-text article: a headline line, a blank line, then paragraphs of 2-4 sentences."""
    title = " ".join(rng.choice(_WORDS) for _ in range(7)).title()
    body = "\n\n".join(" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs))
    return f"{title}\n\n{body}\n"


def revise(rng: random.Random, text: str) -> str:
    """A plausible revision: one paragraph reworded and one figure changed."""
    head, body = text.split("\n\n", 1)
    paragraphs = body.strip("\n").split("\n\n")
    paragraphs[rng.randrange(len(paragraphs))] = sentence(rng) + " " + sentence(rng)
    return f"{head}\n\n" + "\n\n".join(paragraphs) + "\n"
