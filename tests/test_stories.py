"""Story grouping: articles of several outlets about one event, without a story count."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from provdiff import api
from provdiff.cli import app
from provdiff.cluster.stories import group_stories, stories_with_reasons, vectors
from provdiff.model import Metadata, StoryOptions
from provdiff.store import Corpus
from tests.test_align import SENTENCES

runner = CliRunner()
STRIKE = [
    "Dockworkers at Busan ended a strike that had halted 40 ships; the union said members voted to return.",
    "The Busan port strike is over after dockworkers voted to return, ending a stoppage that halted ships.",
    "Ships queued outside Busan as the dockworkers' union counted votes to end the port strike.",
]


def test_seeds_are_one_story_and_a_port_strike_another(sample_corpus: Corpus, tmp_path: Path) -> None:
    for number, text in enumerate(STRIKE):
        path = tmp_path / f"strike{number}.txt"
        path.write_text(f"Port strike\n\n{text} Exporters were relieved.\n", encoding="utf-8")
        items = api.collect_inputs([str(path)], None, Metadata(source=f"outlet{number}"), None, None)
        api.ingest(sample_corpus, items)
    found = api.stories(sample_corpus)
    shared = [
        sorted(meta.source or "" for _, meta in story.articles) for story in found if len(story.articles) > 1
    ]
    assert sorted(shared) == [
        ["koreapro", "roushan-kumar-blog", "unattributed-002"],
        ["outlet0", "outlet1", "outlet2"],
    ]
    result = runner.invoke(app, ["stories", "--corpus", str(sample_corpus.root), "-f", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schema"] == "provdiff.stories/1"
    assert [len(s["articles"]) for s in document["stories"]] == [3, 3]
    for story in document["stories"]:  # each article names its closest fellow member, and why
        ids = {a["id"] for a in story["articles"]}
        for article in story["articles"]:
            assert article["closest"]["id"] in ids - {article["id"]}
            assert 0.2 <= article["closest"]["similarity"] <= 1.0
    text = runner.invoke(app, ["stories", "--corpus", str(sample_corpus.root)]).output
    assert text.count("closest: ") == 6
    strict = runner.invoke(app, ["stories", "--corpus", str(sample_corpus.root), "--threshold", "0.99"])
    assert "6 stories, 0 covered by several articles" in strict.output


@given(
    picks=st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=12),
    threshold=st.floats(0.05, 0.95),
)
def test_identical_articles_share_a_story_and_labels_are_dense(picks: list[int], threshold: float) -> None:
    texts = [f"{SENTENCES[k]} {SENTENCES[(k + 1) % len(SENTENCES)]}" for k in picks]
    labels = group_stories(texts, StoryOptions(threshold=threshold))
    assert len(labels) == len(texts)
    assert sorted(set(labels)) == list(range(len(set(labels))))  # numbered 0.. by first appearance
    assert labels[0] == 0
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            if a == b:
                assert labels[i] == labels[j]
    held = [{k, (k + 1) % len(SENTENCES)} for k in picks]
    apart = all(not (held[i] & held[j]) for i in range(len(held)) for j in range(i))
    if apart and threshold > 0.9:
        # texts with no sentence in common are never 90% alike (two texts sharing one sentence may
        # be: words of one text only are dropped, leaving just the shared sentence's)
        assert len(set(labels)) == len(texts)


def test_an_article_without_shared_words_stands_alone() -> None:
    labels = group_stories(["Quake hits Lima.", "Quake hits Lima.", "Zzz qqq."], StoryOptions(threshold=0.1))
    assert labels == [0, 0, 1]


@given(
    picks=st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=10),
    threshold=st.floats(0.05, 0.6),
)
def test_the_reason_is_the_most_similar_member_of_the_story(picks: list[int], threshold: float) -> None:
    """Oracle: the closest member reported is, of the members of the article's story, the one of
    highest cosine, and the cosine is the TF-IDF vectors'; an article alone has none."""
    texts = [f"{SENTENCES[k]} {SENTENCES[(k * 3 + 1) % len(SENTENCES)]}" for k in picks]
    options = StoryOptions(threshold=threshold)
    found = stories_with_reasons(texts, options)
    assert [label for label, _, _ in found] == group_stories(texts, options)
    matrix = vectors(texts, options)
    for row, (label, mate, cosine) in enumerate(found):
        mates = [k for k, (other, _, _) in enumerate(found) if other == label and k != row]
        if not mates:
            assert mate is None
            continue
        assert mate in mates
        assert abs(cosine - max(float(matrix[k] @ matrix[row]) for k in mates)) < 1e-3
