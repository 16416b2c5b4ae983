"""Claim verification: a restatement is told from a sentence that shares a fact and says more."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster.groups import build_groups
from provdiff.cluster.matcher import counts
from provdiff.cluster.verify import ClusterOptions, Rarity, Side, verify, wording_overlap
from provdiff.cluster.vocabulary import is_word
from provdiff.index import Index
from provdiff.index.memory import split_ids
from provdiff.model import (
    Article,
    Claim,
    ClaimLink,
    Format,
    GroupStatus,
    Metadata,
    Relation,
    Revision,
    RevisionKind,
)
from tests.test_align import SENTENCES
from tests.test_index import index_revision

WIRE = "The port of Geoje will hire 1,200 welders before winter, harbour officials said on Monday."
DOCK = "Hanwha Ocean will pay $40 million for the new dry dock."
RESTATED = "Harbour officials said on Monday that the port of Geoje will hire 1,200 welders before winter."
MORE = (
    "Hanwha Ocean, which won three contracts this year, will pay $40 million for a dry dock, "
    "while unions warn that wages in the region remain the lowest in the country."
)
ARTICLES = (("wire", (WIRE, DOCK)), ("daily", (RESTATED,)), ("blog", (MORE,)))


def _rarity(texts: list[str]) -> Rarity:
    return Rarity(Counter(t for text in texts for t in term_set(text) | wording(text)), len(texts))


RARITY = _rarity([" ".join(texts) for _, texts in ARTICLES] + list(SENTENCES))


def _side(text: str, name: str) -> Side:
    return Side(Claim(f"{name}/a", 1, 0, 0, text, name, "2025-03-01"), Counter(term_set(text)))


def test_restatement_is_reworded_and_a_longer_sentence_overlaps() -> None:
    options = ClusterOptions()
    restated = verify(_side(WIRE, "wire"), _side(RESTATED, "daily"), RARITY, options)
    assert restated is not None and restated.relation is Relation.REWORDED
    assert restated.score >= options.restate
    more = verify(_side(DOCK, "wire"), _side(MORE, "blog"), RARITY, options)
    assert more is not None and more.relation is Relation.OVERLAPS
    assert wording_overlap(DOCK, MORE, RARITY) < options.restate
    assert verify(_side(WIRE, "wire"), _side(SENTENCES[0], "radio"), RARITY, options) is None


def test_both_relations_make_independent_witnesses(tmp_path: Path) -> None:
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        for number, (source, texts) in enumerate(ARTICLES):
            meta = Metadata(source=source, published=f"2025-03-0{number + 1}")
            paragraphs = (*texts, *SENTENCES[number * 3 : number * 3 + 3])
            article = Article(f"{source}/geoje", meta, Format.TEXT, paragraphs)
            revision = Revision(article.article_id, 1, f"{number:040x}", "2025-03-01", RevisionKind.FIRST)
            index.add_revision(article, revision, "2025-03-01", [])
        links = index.links()
        groups = build_groups(index.current_claims(), links)
    relations = {frozenset((x.a.text, x.b.text)): x.relation for x in links}
    assert relations[frozenset((WIRE, RESTATED))] is Relation.REWORDED
    assert relations[frozenset((DOCK, MORE))] is Relation.OVERLAPS
    for name, sources in (("Geoje", {"wire", "daily"}), ("Hanwha", {"wire", "blog"})):
        group = next(g for g in groups if any(name in c.text for c in g.claims))
        assert group.status is GroupStatus.RECURS
        assert set(group.independent_sources) == sources
        assert not group.copies


SHIPYARD = (
    "Geoje's shipyards have built tankers for half a century.",
    "Welders on Geoje earn less than those in Ulsan, the union says.",
    "The shipyard union on Geoje plans a rally outside the main gate.",
    "Orders for liquefied gas carriers keep the Geoje docks busy.",
    "Hanwha Ocean took over the yard from Daewoo Shipbuilding in 2023.",
    "Local officials on Geoje want the yard to train young welders.",
    "Three new dry docks are planned at the southern end of the island.",
    "Subcontractors on Geoje say late payments have forced some to close.",
    "The yard delivered its first ammonia-fuelled carrier in October.",
    "Hanwha Ocean shares rose after the navy contract was announced.",
    "Many Geoje welders commute from Tongyeong across the bridge.",
    "Safety inspectors visited the yard twice after a crane accident.",
)
STORM = (
    "The storm flooded the ferry terminal and closed the northern pier.",
    "Ferries stayed in port for two days while the storm passed.",
    "The council will pay for new sea walls along the harbour front.",
    "Fishing crews said the storm was the worst in a decade.",
    "The mayor asked residents to stay away from the flooded pier.",
    "Repairs to the ferry terminal could take until the spring.",
    "Power was cut to four thousand homes on the eastern shore.",
    "Volunteers filled sandbags outside the town library overnight.",
    "The coastguard rescued two sailors whose yacht lost its mast.",
    "Schools reopened on Thursday after the floodwater receded.",
    "Insurers expect claims from shop owners along the promenade.",
    "Forecasters warn that a second storm may arrive next week.",
)


def _links_in_two_stories(path: Path, options: ClusterOptions) -> set[tuple[str, str, Relation]]:
    """Three articles on the Geoje shipyard, three on a storm; the storm's third article also has
    ``MORE``, which shares Hanwha's $40 million dry dock with the shipyard's first article."""
    articles = (
        ("wire", (WIRE, DOCK, *SHIPYARD)),
        ("daily", (RESTATED, *SHIPYARD[::-1])),
        ("yard", SHIPYARD[1:]),
        ("coast", STORM),
        ("gazette", STORM[::-1]),
        ("blog", (MORE, *STORM[1:])),
    )
    with Index(path, options) as index:
        index.reset()
        for number, (source, paragraphs) in enumerate(articles):
            article = Article(f"{source}/x", Metadata(source=source), Format.TEXT, paragraphs)
            revision = Revision(article.article_id, 1, f"{number:040x}", "2025-03-01", RevisionKind.FIRST)
            index.add_revision(article, revision, "2025-03-01", [])
        return {(link.a.source, link.b.source, link.relation) for link in index.links()}


def test_a_shared_fact_counts_only_between_articles_of_one_story(tmp_path: Path) -> None:
    """The dock sentence of a storm report shares an amount and a name with a shipyard report, as an
    unrelated coincidence would; only the rest of the two articles tells them apart."""
    unchecked = _links_in_two_stories(tmp_path / "unchecked.sqlite", ClusterOptions(story=0.0))
    assert ("wire", "blog", Relation.OVERLAPS) in unchecked
    checked = _links_in_two_stories(tmp_path / "checked.sqlite", ClusterOptions())
    assert ("wire", "blog", Relation.OVERLAPS) not in checked
    # within one story a restatement still counts, and copies count across stories
    assert ("wire", "daily", Relation.REWORDED) in checked
    assert ("coast", "blog", Relation.VERBATIM) in checked
    assert checked == unchecked - {("wire", "blog", Relation.OVERLAPS)}


WIRE_REPORT = Article("wire/x", Metadata(source="wire"), Format.TEXT, (WIRE, DOCK, *SHIPYARD))


def _index_two_stories(index: Index) -> None:
    """Two storm reports, two shipyard reports, and a blog post that tells the storm with the
    wire's dock sentence (``MORE``) in it."""
    index_revision(index, "coast", 1, STORM)
    index_revision(index, "gazette", 1, STORM[::-1])
    index_revision(index, "yard", 1, SHIPYARD[1:])
    index_revision(index, "daily", 1, (RESTATED, *SHIPYARD[::-1]))
    index_revision(index, "blog", 1, (MORE, *STORM[1:]))


class _ProfileReads(Index):
    """The SQLite index, recording whose term profiles matching reads."""

    def __init__(self, path: Path, options: ClusterOptions) -> None:
        super().__init__(path, options)
        self.read: list[str] = []

    def profile(self, article_id: str) -> dict[str, int]:
        self.read.append(article_id)
        return super().profile(article_id)


@pytest.mark.parametrize("story", [0.0, ClusterOptions().story])
def test_an_overlap_with_another_story_is_dropped_before_its_profile_is_read(
    tmp_path: Path, story: float
) -> None:
    """The overlaps rule scores a pair from the candidate article's term profile, a large row; the
    story check runs first, so a candidate of another story is never read (at 100k generated
    articles, most candidates that reach the rule are such)."""
    index = _ProfileReads(tmp_path / "index.sqlite", ClusterOptions(story=story))
    with index:
        index.reset()
        _index_two_stories(index)
        index.read = []
        found = index.match(WIRE_REPORT, "2025-03-01")
    linked = [x for x in found if x.relation is Relation.OVERLAPS and x.a.source == "blog"]
    if story:
        assert not linked and "blog/x" not in index.read
    else:
        assert [(x.a.text, x.b.text) for x in linked] == [(MORE, DOCK)] and "blog/x" in index.read


@pytest.mark.parametrize("revised", [False, True])
def test_the_story_check_reads_an_article_as_revised(tmp_path: Path, revised: bool) -> None:
    """A storm report whose revision turns it into a shipyard report shares the dock fact with a
    later shipyard article; unrevised, it does not. The stored word counts follow the revision, and
    so do the ones the index remembers."""

    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        _index_two_stories(index)
        index.match(WIRE_REPORT, "2025-03-01")  # reads (and remembers) story-word counts, stores nothing
        if revised:
            index_revision(index, "blog", 2, (MORE, *SHIPYARD))
        found = index_revision(index, "wire", 1, WIRE_REPORT.paragraphs)
    shared = [x for x in found if x.relation is Relation.OVERLAPS and x.a.source == "blog"]
    assert [(x.a.text, x.b.text) for x in shared] == ([(MORE, DOCK)] if revised else [])


WORDS_USED = "the port of geoje will hire welders before winter officials said".split()
WORDS = st.lists(st.sampled_from(WORDS_USED))


@given(left=WORDS, right=WORDS, extra=st.sampled_from(["shipyard", "unions", "wages", "1,200"]))
def test_wording_overlap_is_symmetric_bounded_and_falls_with_unshared_words(
    left: list[str], right: list[str], extra: str
) -> None:
    a, b = " ".join(left), " ".join(right)
    score = wording_overlap(a, b, RARITY)
    assert 0.0 <= score <= 1.0 + 1e-9
    assert score == pytest.approx(wording_overlap(b, a, RARITY))
    if wording(a) and wording(a) == wording(b):
        assert score == pytest.approx(1.0)
    if not wording(a) & wording(b):
        assert score == 0.0
    if extra not in b:
        assert wording_overlap(f"{a} {extra}", b, RARITY) <= score + 1e-9


@given(
    left=WORDS,
    right=WORDS,
    counts=st.dictionaries(st.sampled_from(sorted(wording(" ".join(WORDS_USED)))), st.integers(0, 30)),
    total=st.integers(1, 40),
)
def test_wording_overlap_on_word_ids_is_the_overlap_of_the_texts(
    left: list[str], right: list[str], counts: dict[str, int], total: int
) -> None:
    """Oracle: matching weighs a candidate's stored word ids (``Rarity.id_overlap``); that is the
    overlap of the two texts, word for word, under the same article counts."""
    a, b = " ".join(left), " ".join(right)
    rarity = Rarity(Counter(counts), total)
    ids = {word: number for number, word in enumerate(sorted(wording(" ".join(WORDS_USED))))}
    rarity.weigh_ids(list(ids.values()), [counts.get(word, 0) for word in ids])
    by_id = rarity.id_overlap(frozenset(ids[w] for w in wording(a)), frozenset(ids[w] for w in wording(b)))
    assert by_id == pytest.approx(wording_overlap(a, b, rarity), abs=1e-12)


PRESSING = (
    "Washington is pressing Seoul to raise defense spending and to deploy its troops with greater "
    "flexibility."
)
DISCUSSED = "Both leaders discussed tariffs, defense spending, and the future of the alliance."
COUNT_A = "Police detained 140 dockers after the strike at Geoje."
COUNT_B = "A museum in Okpo shows 140 paintings of Geoje."
AMOUNT_A = COUNT_A.replace("140 dockers", "dockers over $140 million in wages")
AMOUNT_B = COUNT_B.replace("140 paintings", "paintings bought for $140 million")
PRICED_B = COUNT_B.replace("Geoje", "Geoje, bought for $2 million")
NEIGHBOURS = [PRESSING, DISCUSSED, COUNT_A, COUNT_B, AMOUNT_A, AMOUNT_B, *SENTENCES]


def test_sentences_sharing_only_topic_words_or_a_bare_count_are_not_one_claim() -> None:
    rarity = _rarity(NEIGHBOURS)
    loose = ClusterOptions(related=0.0)
    for x, y in ((PRESSING, DISCUSSED), (COUNT_A, COUNT_B)):
        assert wording_overlap(x, y, rarity) < ClusterOptions().related
        assert verify(_side(x, "wire"), _side(y, "daily"), rarity, ClusterOptions()) is None
        # what the floor stops: the same pair passes every other test
        linked = verify(_side(x, "wire"), _side(y, "daily"), rarity, loose)
        assert linked is not None and linked.relation is Relation.OVERLAPS
    # the same weak wording with a shared amount (a figure with a unit) is a shared fact, whichever
    # claim is the new one; a bare count shared beside an amount of one side only is none, in either
    # order (``verify`` turns such a pair down before the first claim's terms are computed when
    # the second holds no amount)
    for x, y in ((AMOUNT_A, AMOUNT_B), (AMOUNT_B, AMOUNT_A)):
        shared = verify(_side(x, "wire"), _side(y, "daily"), rarity, ClusterOptions())
        assert shared is not None and shared.relation is Relation.OVERLAPS
    rarity = _rarity([PRICED_B if text == COUNT_B else text for text in NEIGHBOURS])
    for x, y in ((COUNT_A, PRICED_B), (PRICED_B, COUNT_A)):
        assert verify(_side(x, "wire"), _side(y, "daily"), rarity, loose) is not None
        assert verify(_side(x, "wire"), _side(y, "daily"), rarity, ClusterOptions()) is None


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=40)),
    st.integers(min_value=1, max_value=40),
)
def test_rarity_weights_fall_from_one_to_zero_and_roots_are_their_square_roots(
    counts: dict[str, int], total: int
) -> None:
    rarity = Rarity(Counter(counts), total)
    roots = rarity.root_weights("abcdefgh")
    for term in "abcdefgh":
        weight = Rarity(Counter(counts), total).weight(term)  # a fresh one: not read from roots
        assert 0.0 <= weight <= 1.0 and roots[term] ** 2 == pytest.approx(weight)
        held = counts.get(term, 0)
        if held <= 2 or total <= 2:
            assert weight == 1.0
        elif held >= total:
            assert weight == 0.0
        for other in "abcdefgh":  # rarer weighs more
            if counts.get(other, 0) > held:
                assert rarity.weight(other) <= weight


def test_datelines_are_never_linked() -> None:
    x, y = "Updated: July 7, 2012, 10:04 PM ET", "Updated: May 24, 2005, 3:23 PM ET"
    rarity = _rarity([x, y, *SENTENCES])
    assert verify(_side(x, "wire"), _side(y, "daily"), rarity, ClusterOptions()) is None
    assert verify(_side(x, "wire"), _side(x, "daily"), rarity, ClusterOptions()) is None


def test_match_finds_what_indexing_the_article_links_and_stores_nothing(tmp_path: Path) -> None:
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        articles = []
        for number, (source, texts) in enumerate(ARTICLES):
            article = Article(f"{source}/geoje", Metadata(source=source), Format.TEXT, (*texts, *SHIPYARD))
            articles.append(
                (article, Revision(article.article_id, 1, f"{number:040x}", "2025-03-01", RevisionKind.FIRST))
            )
        for article, revision in articles[:-1]:
            index.add_revision(article, revision, "2025-03-01", [])
        before = (len(index.current_claims()), len(index.links()))
        article, revision = articles[-1]
        matched = index.match(article, "2025-03-01")
        assert (len(index.current_claims()), len(index.links())) == before
        stored = index.add_revision(article, revision, "2025-03-01", [])
    assert matched and {(x.a.claim_id, x.b.claim_id, x.relation) for x in matched} == {
        (x.a.claim_id, x.b.claim_id, x.relation) for x in stored
    }


def _fresh(folder: Path) -> Path:
    """An empty index file in ``folder`` (hypothesis runs many examples in one ``tmp_path``)."""
    path = folder / "index.sqlite"
    path.unlink(missing_ok=True)
    with Index(path) as index:
        index.reset()
    return path


def _index_all(
    index: Index, revisions: list[tuple[str, list[str]]], before_each: Callable[[], object] = list
) -> Counter[str]:
    """Index each (source, paragraphs) as its source's next revision; the revisions per source."""
    numbers: Counter[str] = Counter()
    for source, paragraphs in revisions:
        before_each()
        numbers[source] += 1
        index_revision(index, source, numbers[source], tuple(paragraphs))
    return numbers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    revisions=st.lists(
        st.tuples(
            st.sampled_from(["wire", "daily", "blog"]), st.lists(st.sampled_from(SENTENCES), max_size=4)
        ),
        min_size=1,
        max_size=6,
    ),
    cap=st.sampled_from([100, 2]),
)
def test_postings_and_counts_follow_every_revision(
    tmp_path: Path, revisions: list[tuple[str, list[str]]], cap: int
) -> None:
    """Oracle: after any sequence of revisions the postings hold exactly the terms of current claims
    that at most ``gram_cap`` claims ever held, and each term's article count is the number of
    articles whose current claims hold it."""
    with Index(_fresh(tmp_path), ClusterOptions(gram_cap=cap)) as index:
        numbers = _index_all(index, revisions)
        claims = index.current_claims()
        ids = dict(
            index.db.execute(
                "SELECT article_id || ':' || paragraph || ':' || sentence, id FROM claims WHERE current = 1"
            )
        )
        # words are counted apart from word pairs and figures (``cluster.vocabulary``)
        both = "SELECT term, {0} FROM terms UNION ALL SELECT word, {0} FROM words"
        ever = dict(index.db.execute(both.format("claims")))
        expected = {
            (t, ids[f"{c.article_id}:{c.paragraph}:{c.sentence}"])
            for c in claims
            for t in term_set(c.text)
            if ever[t] <= cap
        }
        rows = index.db.execute(
            "SELECT term, ids FROM terms WHERE ids != x'' UNION ALL "
            "SELECT word, word_postings.claims FROM word_postings JOIN words ON words.id = word_postings.id"
        )
        lists = {term: list(split_ids(ids)) for term, ids in rows}
        assert all(held == sorted(set(held)) for held in lists.values())  # ascending, each once
        assert all(lists.values())  # an emptied word's row goes
        assert {(term, claim_id) for term, held in lists.items() for claim_id in held} == expected
        held: Counter[str] = Counter()
        for article_id in {c.article_id for c in claims} | {f"{s}/x" for s in numbers}:
            held.update(
                {t for c in claims if c.article_id == article_id for t in term_set(c.text) | wording(c.text)}
            )
        counts = {t: n for t, n in index.db.execute(both.format("articles")) if n}
        assert counts == dict(held)
        assert index.article_count() == len(numbers) == len(index.articles())


def _cold_match(path: Path, article: Article) -> list[ClaimLink]:
    """What a fresh connection, which remembers nothing, matches."""
    with Index(path) as cold:
        return cold.match(article, "2025-03-02")


_POOL = (WIRE, DOCK, RESTATED, MORE, *SHIPYARD)
PROBE = Article("probe/x", Metadata(source="probe"), Format.TEXT, (RESTATED, MORE, *SHIPYARD[6:9]))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    revisions=st.lists(
        st.tuples(st.sampled_from(["wire", "daily", "blog"]), st.lists(st.sampled_from(_POOL), max_size=6)),
        min_size=1,
        max_size=6,
    )
)
def test_remembered_term_counts_match_what_a_fresh_connection_reads(
    tmp_path: Path, revisions: list[tuple[str, list[str]]]
) -> None:
    """Oracle: an index that matched article after article (and remembered the term counts and
    profiles it read) links a new article exactly as a fresh connection does, scores included,
    after any sequence of new articles and revisions."""
    path = _fresh(tmp_path)
    with Index(path) as warm:
        # before each revision, read (and remember) what it changes
        _index_all(warm, revisions, before_each=lambda: warm.match(PROBE, "2025-03-02"))
        assert warm.match(PROBE, "2025-03-02") == _cold_match(path, PROBE)


def test_postings_read_with_the_counts_are_not_reused_past_a_write(tmp_path: Path) -> None:
    """``term_stats`` hands the postings it read to the next ``votes``: a revision indexed in
    between adds claims to them, and ``votes`` must see those claims as a fresh connection does."""
    path = _fresh(tmp_path)
    chosen = [sorted(t for t in term_set(DOCK) if not is_word(t))]  # word pairs and the figure
    with Index(path) as index:
        index_revision(index, "wire", 1, (DOCK,))
        assert index.term_stats(set(chosen[0])).keys() == set(chosen[0])  # their lists read
        index_revision(index, "daily", 1, (DOCK,))
        votes = index.votes(chosen)
    with Index(path) as cold:
        assert votes == cold.votes(chosen)
    assert len(votes[0]) == 2  # both copies


def _rolled_back(index: Index, paragraphs: tuple[str, ...]) -> list[ClaimLink]:
    """The probe's links while a new article is indexed in a transaction that then rolls back."""
    with contextlib.suppress(LookupError), index.transaction():
        index_revision(index, "daily", 1, paragraphs)
        links = index.match(PROBE, "2025-03-02")
        raise LookupError
    assert index.revision_count("daily/x") == 0
    return links


def test_a_rollback_and_another_connection_s_commit_are_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    with Index(path) as warm:
        warm.reset()
        index_revision(warm, "wire", 1, (WIRE, DOCK, *SHIPYARD[:6]))
        before = warm.match(PROBE, "2025-03-02")
        assert {link.relation for link in before} >= {Relation.REWORDED, Relation.OVERLAPS}
        assert _rolled_back(warm, (DOCK, *SHIPYARD[3:9])) != before  # the uncommitted revision counts...
        assert warm.match(PROBE, "2025-03-02") == before == _cold_match(path, PROBE)  # ...then not
        with Index(path) as other:
            index_revision(other, "blog", 1, (DOCK, *SHIPYARD[3:9]))
        after = warm.match(PROBE, "2025-03-02")
        assert after != before
        assert after == _cold_match(path, PROBE)


def test_a_verbatim_copy_is_found_by_its_text_when_its_terms_are_all_past_the_cap(tmp_path: Path) -> None:
    """A sentence of common words has no term under ``gram_cap`` to look candidates up by; its
    identical copies are found by their match key instead."""
    common = "The harbour board approved the plan on Monday."
    longer = "The harbour board approved the plan on Monday, officials said."
    with Index(tmp_path / "index.sqlite", ClusterOptions(gram_cap=2)) as index:
        index.reset()
        for source, text in (("wire", common), ("daily", common), ("blog", longer)):
            index_revision(index, source, 1, (text,))
        assert all(n > 2 for _, n in counts(index, term_set(common)).values())
        found = index_revision(index, "radio", 1, (common,))
    assert sorted((link.a.source, link.relation) for link in found) == [
        ("daily", Relation.VERBATIM),
        ("wire", Relation.VERBATIM),
    ]
