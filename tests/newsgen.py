"""Generated news corpora with planted relations, for the claim engine's property tests.

Each article is a few sentences about facts of a small pool. A sentence is one of: a fact as first
reported, a paraphrase of it (other words, same figure and subject), a verbatim copy of another
article's sentence, a figure variant (the same sentence, another figure), a distractor (another
country, the same words and figure), a compound (two facts in one sentence), or filler of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

# (subject, first report, paraphrase, distractor subject): {f} is the figure
FACTS = (
    (
        "South Korea",
        "South Korea pledged {f} in investments in American shipbuilding on Tuesday.",
        "Seoul will invest {f} in US shipyards under the deal announced on Tuesday.",
        "Japan pledged {f} in investments in American shipbuilding on Tuesday.",
    ),
    (
        "Vietnam",
        "Vietnam agreed to cut its tariff on American farm goods to {f}.",
        "Hanoi will lower the tariff it charges on US agricultural imports to {f}.",
        "Thailand agreed to cut its tariff on American farm goods to {f}.",
    ),
    (
        "Germany",
        "Germany will spend {f} on new rail lines over the next decade, the ministry said.",
        "Berlin plans to put {f} into new railway lines in the coming ten years, the ministry said.",
        "France will spend {f} on new rail lines over the next decade, the ministry said.",
    ),
    (
        "Canada",
        "Canada reported that wildfires burned {f} of its northern forests this summer.",
        "Wildfires destroyed {f} of northern Canadian forest this summer, Ottawa reported.",
        "Australia reported that wildfires burned {f} of its northern forests this summer.",
    ),
)
FIGURES = (
    ("$350 billion", "$400 billion"),
    ("15 percent", "20 percent"),
    ("$90 billion", "$70 billion"),
    ("12%", "9%"),
)
FILLER = (
    "Analysts said markets would react over the coming days.",
    "The statement gave no timetable for the next round of talks.",
    "Opposition lawmakers called for a full inquiry into the agreement.",
    "Reporters were not allowed to ask questions after the briefing.",
    "Shares of exporters rose sharply in early trading.",
    "Unions warned that the plan would cost thousands of jobs.",
)
SOURCES = ("wire", "daily", "radio", "blog", "herald")
KINDS = ("first", "paraphrase", "copy", "variant", "distractor", "compound", "filler")


@dataclass(frozen=True)
class Generated:
    """One article: its file name, source, published date and text (title line, blank line, body)."""

    name: str
    source: str
    published: str
    text: str


_SYLLABLES = ("ka", "lo", "mi", "ter", "son", "ra", "vel", "din", "po", "shu", "gar", "nel")


def _own(number: int) -> str:
    """A sentence no other article has, nor anything near it: three made-up names of its own."""

    def word(k: int) -> str:
        return "".join(_SYLLABLES[(number * 7 + k * 5 + i * 3) % len(_SYLLABLES)] for i in range(4))

    return f"Residents of {word(1).title()} said the {word(2)} festival drew crowds from {word(3).title()}."


def _sentence(kind: str, fact: int, other: int, filler: int, copied: str | None) -> str:
    _, first, paraphrase, distractor = FACTS[fact]
    figure, changed = FIGURES[fact]
    if kind == "copy" and copied is not None:
        return copied
    if kind == "paraphrase":
        return paraphrase.format(f=figure)
    if kind == "variant":
        return first.format(f=changed)
    if kind == "distractor":
        return distractor.format(f=figure)
    if kind == "compound":
        second = FACTS[other][1].format(f=FIGURES[other][0])
        return first.format(f=figure).rstrip(".") + ", and " + second[0].lower() + second[1:]
    if kind == "filler":
        return FILLER[filler]
    return first.format(f=figure)


@st.composite
def corpora(draw: st.DrawFn, min_articles: int = 20, max_articles: int = 24) -> list[Generated]:
    """A corpus of generated articles, each with 2-4 planted sentences and its own filler."""
    articles: list[Generated] = []
    said: list[str] = []
    for number in range(draw(st.integers(min_articles, max_articles))):
        sentences = []
        if number < 2:  # two outlets report one fact, in their own words: a claim that recurs
            fact = draw(st.integers(0, len(FACTS) - 1))
            sentences.append(_sentence(("first", "paraphrase")[number], fact, fact, 0, None))
        for _ in range(draw(st.integers(2, 4))):
            kind = draw(st.sampled_from(KINDS))
            fact, other = draw(st.integers(0, len(FACTS) - 1)), draw(st.integers(0, len(FACTS) - 1))
            copied = draw(st.sampled_from(said)) if said and kind == "copy" else None
            text = _sentence(kind, fact, other, draw(st.integers(0, len(FILLER) - 1)), copied)
            if text not in sentences:
                sentences.append(text)
        sentences.append(_own(number))
        said.extend(sentences[:-1])
        source = SOURCES[number] if number < 2 else draw(st.sampled_from(SOURCES))
        day = draw(st.integers(1, 28))
        body = " ".join(sentences)
        articles.append(
            Generated(f"story-{number:02d}.txt", source, f"2025-06-{day:02d}", f"Story {number}\n\n{body}\n")
        )
    return articles
