"""Stage ``index``: the derived SQLite index of articles, revisions, claims, postings and claim links.

The only module that imports sqlite3. Git is the source of truth: the index records the corpus
commit it reflects and is rebuilt from git whenever that commit is not the corpus head (a commit made
outside provdiff, a deleted or damaged index file). It lives in the ignored state directory.

Claims of every revision are kept (blame needs old revisions); only the current revision of each
article takes part in claim groups. Postings map each content term of a current claim to the claim;
a term held by more than ``gram_cap`` claims proposes no candidates, and since that count (of
every claim ever indexed) never falls, its postings are dropped for good once it passes the cap:
more than half of all postings at 10k articles. Term counts (how many articles hold a term now, how
many claims ever have) are kept in two tables: ``words`` for single words and numbers (every word of
the wording, function words too, which weighs restatements), by id (``cluster.vocabulary``), read
whole once per connection (30k rows at 10k generated articles); and ``terms`` for word pairs and
figures (2.4M rows at 10k, 14M at 100k), read term by term. A ``terms`` row holds the term's
postings too (empty past the cap), so one seek finds both: a match asks ~560 terms' counts and
looks up ~290 of them. In two tables, at 100k generated articles, the counts and the lists took
4.0 ms of a running connection's match; in one, 3.4 ms. Words' postings are rows of
``word_postings``, by word id. A postings list is the claim ids ascending, packed as 32-bit
integers (``memory.packed_ids``): with a row per (term, claim) SQLite handed over every one of the
~6,300 ids of a match's lists one row at a time. Each claim stores its wording as word ids
(``claims.words``) and its match key, so a candidate is verified without reading its text again.

Each article's term counts (how many of its current claims hold each term) are stored once more as
one JSON row (``profiles``): the overlaps rule reads them for candidate articles, and one row per
candidate is what keeps matching one article cheap (a third of the time it took when counted from
the postings). The article's story words, packed as word ids (``cluster.story_vectors``), are a
table of their own (``stories``), written before the claims in a rebuild: the story check weighs
every word of every witness article (62 per new article at 100k generated articles) and reads only
those, and in the profile rows (2.2 GB at 100k, written after the claims) they lay past the part of
the file read through the memory map.

The term counts, profiles and story words an article's matching reads are remembered by the
connection and kept exact: every write here updates what is remembered, a rolled-back transaction
forgets it all, and so does a commit by any other connection (``PRAGMA data_version``). A rebuild or
a watcher matches article after article of the same stories against the same vocabulary: reading
those counts again was 46% of a 10k rebuild's profile, and remembering them took the rebuild from
846 s to 709 s (benchmarks/bench_scale.py).

A full rebuild no longer comes through here a revision at a time: it replays the history into
``index.memory.MemoryIndex`` and ``Index.load`` writes the result in bulk, the same rows either way.
Matching itself is ``cluster.matcher``'s, over either.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster import extract_claims
from provdiff.cluster.matcher import (
    Stored,
    article_terms,
    count_votes,
    counts,
    match_claims,
    retired_terms,
    story_words,
)
from provdiff.cluster.verify import ClusterOptions
from provdiff.cluster.vocabulary import Vocabulary, WordRow, is_word, unpack_ids
from provdiff.errors import CorpusError
from provdiff.index.memory import (
    MemoryIndex,
    article_row,
    capped_terms,
    claim_row,
    key_hash,
    packed_ids,
    profile_json,
    recall,
    revision_row,
    split_ids,
)
from provdiff.model import Article, Claim, ClaimLink, Relation, Revision, RevisionKind

SCHEMA = 15
FILE_NAME = "index.sqlite"
_MAPPED = 1 << 36  # bytes of the file read through a memory map, at most (64 GB)
_CHUNK = 512  # values per ``IN`` list, below SQLite's variable limit (``_query_rows``)
_STATS_KEPT = 1 << 19  # terms whose counts are remembered (estimated 100-150 MB)
_CLAIMS_BITS = 40  # a remembered term's claim count, in the low bits of its one int (``_packed``)

_CLAIM_COLUMNS = "article_id, revision, paragraph, sentence, text, source, seen"
_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, url TEXT, published TEXT, modified TEXT,
    revisions INTEGER NOT NULL, first_seen TEXT NOT NULL, warnings TEXT NOT NULL);
CREATE TABLE revisions(
    article_id TEXT NOT NULL, number INTEGER NOT NULL, commit_id TEXT NOT NULL,
    committed_at TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY(article_id, number));
CREATE TABLE claims(
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, revision INTEGER NOT NULL,
    paragraph INTEGER NOT NULL, sentence INTEGER NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL,
    seen TEXT NOT NULL, current INTEGER NOT NULL, key TEXT NOT NULL, hashed INTEGER NOT NULL,
    words BLOB NOT NULL);
CREATE TABLE terms(
    term TEXT PRIMARY KEY, articles INTEGER NOT NULL, claims INTEGER NOT NULL, ids BLOB NOT NULL)
    WITHOUT ROWID;
CREATE TABLE word_postings(id INTEGER PRIMARY KEY, claims BLOB NOT NULL);
CREATE TABLE stories(article_id TEXT PRIMARY KEY, story BLOB NOT NULL);
CREATE TABLE profiles(article_id TEXT PRIMARY KEY, terms TEXT NOT NULL);
CREATE TABLE words(
    id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, articles INTEGER NOT NULL, claims INTEGER NOT NULL);
CREATE TABLE links(
    a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL, score REAL NOT NULL,
    conflict TEXT NOT NULL);
"""
# Built after the rows in a bulk load (``Index.load``): an index kept up during the inserts has its
# pages strewn among the claims' (0.44 GB of the claims' 2.4 GB at 100k generated articles), which
# keeps claim rows out of the memory-mapped front of the file, and costs the load its upkeep.
_INDEXES = """
CREATE INDEX claims_article ON claims(article_id, revision);
CREATE INDEX claims_key ON claims(hashed);
CREATE INDEX claims_order ON claims(rtrim(seen, 'Z'), article_id, revision, paragraph, sentence)
    WHERE current = 1;
CREATE INDEX links_a ON links(a);
CREATE INDEX links_b ON links(b);
"""
_INDEX_NAMES = [line.split()[2] for line in _INDEXES.splitlines() if line.startswith("CREATE INDEX")]


def _packed(n_articles: int, n_claims: int) -> int:
    """A term's two counts as one int, as ``Index`` remembers them.

    Not a tuple: a new tuple is tracked by the cyclic garbage collector, and storing one makes
    the whole dict tracked again, in the youngest generation, so the collection after every match
    walked all its entries (at 100k generated articles 26k entries after 100 matches, 0.5 ms of
    each match, and up to ``_STATS_KEPT`` in a long run). A dict of str and int is never tracked."""
    return n_articles << _CLAIMS_BITS | n_claims


def _unpacked(counts: int) -> tuple[int, int]:
    """(articles, claims) from ``_packed``."""
    return counts >> _CLAIMS_BITS, counts & ((1 << _CLAIMS_BITS) - 1)


class Index:
    """The index of one corpus. Use as a context manager; writes are one transaction."""

    def __init__(self, path: Path, options: ClusterOptions | None = None) -> None:
        self.path = path
        self.options = options or ClusterOptions()
        self._profile_cache: dict[str, dict[str, int]] = {}  # insertion order = recency
        self._words: Vocabulary | None = None  # ``words``, read whole on first use
        # term -> ``_packed`` counts; None: no article holds the term
        self._stats_cache: dict[str, int | None] = {}
        # term -> postings, as the last ``term_stats`` read them with the counts, for ``votes``
        self._lists_read: dict[str, bytes] = {}
        self._data_version = -1
        self.db = sqlite3.connect(path, isolation_level=None)
        self._pragmas()

    def _pragmas(self) -> None:
        # The index is derived and rebuilt when damaged (quick_check at open), so it skips fsync:
        # one commit per ingest would otherwise cost more than the matching itself.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA cache_size=-262144")  # 256 MB: postings B-trees stay in memory
        self.db.execute("PRAGMA temp_store=MEMORY")
        # Reads through a memory map rather than a read() per page: a match looks up ~1,400 term
        # counts and ~400 postings lists in random order, and at 10k articles the first pass over
        # 100 new articles ran 15% faster. SQLite caps the size at its build's limit (2 GB here).
        self.db.execute(f"PRAGMA mmap_size={_MAPPED}")

    def transaction(self) -> _Transaction:
        """``with index.transaction():`` groups many revisions into one commit (or one rollback)."""
        return _Transaction(self.db, self._forget)

    def _forget(self) -> None:
        """Drop the remembered term counts, profiles and story words (they may no longer be what
        SQLite holds)."""
        self._profile_cache.clear()
        self._words = None
        self._stats_cache.clear()
        self._lists_read = {}

    def _check_remembered(self) -> None:
        """Forget what is remembered when another connection has committed since the last look."""
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            self._forget()
            self._data_version = version

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *_: object) -> None:
        self.db.close()

    # -- state --------------------------------------------------------------------------------

    def indexed_head(self) -> str | None:
        """The corpus commit the index reflects, or None when it is empty, old or unreadable."""
        try:
            rows = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            return None
        if rows.get("schema") != str(SCHEMA):
            return None
        return rows.get("head")

    def reset(self) -> None:
        """Drop everything; the next writes rebuild the index from scratch."""
        self._forget()
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self._pragmas()
        self.db.executescript(_TABLES + _INDEXES)
        self.db.execute(
            "INSERT INTO meta VALUES ('schema', ?), ('head', ''), ('articles', '0')", (str(SCHEMA),)
        )

    def set_head(self, head: str) -> None:
        """Record the corpus commit the index now reflects."""
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (head,))

    # -- writing ------------------------------------------------------------------------------

    def load(self, memory: MemoryIndex) -> None:
        """Write a replayed ``MemoryIndex`` into this empty index, in one transaction.

        Rows go in key order (postings and term counts are clustered by term), the claims with
        their ids: the file holds what indexing the same revisions one by one would have left.
        The tables every match reads (term counts, postings, words, stories, claims) are written
        first, in the order of how often a match reads them, so that they lie in the front of the
        file, which is memory-mapped (``_pragmas``; at most 2 GB here: 100k generated articles
        make a file of over 6 GB, most of it claims and the term counts of articles). The indexes
        are built last (``_INDEXES``).
        """
        db = self.db
        with self.transaction():
            for name in _INDEX_NAMES:
                db.execute(f"DROP INDEX {name}")
            db.execute("UPDATE meta SET value = ? WHERE key = 'articles'", (str(memory.article_count()),))
            db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?)", memory.term_rows())
            db.executemany("INSERT INTO word_postings VALUES (?, ?)", memory.word_posting_rows())
            words = memory.words
            db.executemany(
                "INSERT INTO words VALUES (?, ?, ?, ?)",
                ((i, word, words.articles[i], words.claims[i]) for word, i in words.ids.items()),
            )
            db.executemany("INSERT INTO stories VALUES (?, ?)", memory.stories_packed.items())
            db.executemany(
                "INSERT INTO claims(id, article_id, revision, paragraph, sentence, text, source, seen, "
                "current, key, hashed, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                memory.claim_rows(),
            )
            db.executemany("INSERT INTO profiles VALUES (?, ?)", memory.profiles.items())
            db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", memory.articles.values()
            )
            db.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?)", memory.revisions)
            db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?)", memory.link_rows())
            for statement in _INDEXES.split(";")[:-1]:  # ``executescript`` would commit first
                db.execute(statement)

    def add_revision(
        self, article: Article, revision: Revision, first_seen: str, warnings: Sequence[str]
    ) -> list[ClaimLink]:
        """Index one revision (the newest of its article) and match its claims against the corpus.

        Returns the new links. Earlier revisions of the article stop taking part in groups.
        """
        when = article.meta.published or revision.committed_at
        claims = extract_claims(article, revision.number, when)
        db = self.db
        self._check_remembered()
        with self.transaction():
            self._retire(article.article_id)
            if not self.revision_count(article.article_id):
                db.execute("UPDATE meta SET value = value + 1 WHERE key = 'articles'")
            db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                article_row(article, revision, first_seen, warnings),
            )
            db.execute("INSERT OR REPLACE INTO revisions VALUES (?, ?, ?, ?, ?)", revision_row(revision))
            found = match_claims(self, claims, self.options)
            terms, profile_terms, held_by = article_terms(claims)
            # the counts before this article: its words count once the vocabulary has them
            kept, dropped = capped_terms(counts(self, profile_terms), profile_terms, held_by, self.options)
            vocabulary = self.vocabulary()
            changed, story = vocabulary.indexed(held_by, story_words(profile_terms))
            self._store_words(changed)
            ids = [self._insert_claim(claim, vocabulary.pack_ids(wording(claim.text))) for claim in claims]
            db.execute("INSERT INTO stories VALUES (?, ?)", (article.article_id, story))
            db.execute(
                "INSERT INTO profiles VALUES (?, ?)", (article.article_id, profile_json(profile_terms))
            )
            added: dict[str, list[int]] = {}
            for claim_id, held in zip(ids, terms, strict=True):
                for term in held & kept:
                    added.setdefault(term, []).append(claim_id)
            word_ids = vocabulary.ids
            db.executemany(
                "DELETE FROM word_postings WHERE id = ?", [(word_ids[t],) for t in dropped if is_word(t)]
            )
            db.executemany(
                "UPDATE terms SET ids = x'' WHERE term = ?", [(t,) for t in dropped if not is_word(t)]
            )
            # the new ids are the largest yet (claims are never deleted): appended, a list stays
            # ascending. ``||`` makes text of two blobs, byte for byte: cast back
            db.executemany(
                "INSERT INTO word_postings VALUES (?, ?) "
                "ON CONFLICT(id) DO UPDATE SET claims = CAST(claims || excluded.claims AS BLOB)",
                [(word_ids[t], packed_ids(claim_ids)) for t, claim_ids in added.items() if is_word(t)],
            )
            counted = [(term, n) for term, n in held_by.items() if not is_word(term)]
            db.executemany(
                "INSERT INTO terms VALUES (?, 1, ?, ?) ON CONFLICT(term) DO UPDATE SET "
                "articles = articles + 1, claims = claims + excluded.claims, "
                "ids = CAST(ids || excluded.ids AS BLOB)",
                [(term, n, packed_ids(added.get(term, ()))) for term, n in counted],
            )
            remembered = self._stats_cache
            for term in [t for t, _ in counted if t in remembered]:
                n_articles, n_claims = _unpacked(remembered[term] or 0)
                remembered[term] = _packed(n_articles + 1, n_claims + held_by[term])
            self._lists_read = {}  # postings lists read before these writes
            by_claim = {c.claim_id: i for c, i in zip(claims, ids, strict=True)}
            db.executemany(
                "INSERT INTO links VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        self._id_of(link.a),
                        by_claim[link.b.claim_id],
                        link.relation.value,
                        link.score,
                        link.conflict,
                    )
                    for link in found
                ],
            )
        return found

    def match(self, article: Article, when: str) -> list[ClaimLink]:
        """The links a new revision of ``article`` (dated ``when``) would get, without storing it.

        What ``add_revision`` spends on matching, so it can be timed on its own. The article's own
        indexed claims are not candidates.
        """
        claims = extract_claims(article, self.revision_count(article.article_id) + 1, when)
        self._check_remembered()
        return match_claims(self, claims, self.options)

    def _retire(self, article_id: str) -> None:
        """Take an article's current claims out of postings, term counts, links and profiles."""
        db = self.db
        db.execute("DELETE FROM profiles WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM stories WHERE article_id = ?", (article_id,))
        self._profile_cache.pop(article_id, None)
        rows = db.execute(
            "SELECT id, text FROM claims WHERE article_id = ? AND current = 1", (article_id,)
        ).fetchall()
        if not rows:
            return
        current = [row[0] for row in rows]
        marks = ",".join("?" * len(current))
        terms = retired_terms([text for _, text in rows])
        counted = [t for t in terms if not is_word(t)]
        db.executemany("UPDATE terms SET articles = articles - 1 WHERE term = ?", [(t,) for t in counted])
        remembered = self._stats_cache
        for term in [t for t in counted if t in remembered]:
            known = remembered[term]  # every retired term has a row
            n_articles, n_claims = _unpacked(_packed(1, 0) if known is None else known)
            remembered[term] = _packed(n_articles - 1, n_claims)
        self._store_words(self.vocabulary().retired(terms))
        # the lists of the claims' own terms, by primary key: an index from claim to terms would
        # cost every insert as much again, for the rare revision
        gone = set(current)

        def left(ids: bytes) -> bytes:
            return packed_ids(claim_id for claim_id in split_ids(ids) if claim_id not in gone)

        held = {term for _, text in rows for term in term_set(text)}
        lists = self._query_rows(
            "SELECT term, ids FROM terms WHERE term IN ({}) AND ids != x''",
            sorted(t for t in held if not is_word(t)),
        )
        db.executemany("UPDATE terms SET ids = ? WHERE term = ?", [(left(ids), term) for term, ids in lists])
        word_ids = self.vocabulary().ids
        lists = self._query_rows(
            "SELECT id, claims FROM word_postings WHERE id IN ({})",
            sorted(word_ids[t] for t in held if is_word(t)),
        )
        remaining = [(left(ids), word_id) for word_id, ids in lists]
        db.executemany(
            "UPDATE word_postings SET claims = ? WHERE id = ?", [row for row in remaining if row[0]]
        )
        db.executemany("DELETE FROM word_postings WHERE id = ?", [(i,) for ids, i in remaining if not ids])
        db.execute(f"DELETE FROM links WHERE a IN ({marks}) OR b IN ({marks})", current + current)
        db.execute(f"UPDATE claims SET current = 0 WHERE id IN ({marks})", current)

    def _insert_claim(self, claim: Claim, words: bytes) -> int:
        cursor = self.db.execute(
            "INSERT INTO claims(article_id, revision, paragraph, sentence, text, source, seen, current, key, "
            "hashed, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            claim_row(claim, 1, words),
        )
        return int(cursor.lastrowid or 0)

    def _id_of(self, claim: Claim) -> int:
        row = self.db.execute(
            "SELECT id FROM claims WHERE article_id = ? AND revision = ? AND paragraph = ? AND sentence = ?",
            (claim.article_id, claim.revision, claim.paragraph, claim.sentence),
        ).fetchone()
        if row is None:
            raise CorpusError(f"index inconsistent: no claim {claim.claim_id}; run provdiff reindex")
        return int(row[0])

    def votes(self, chosen: Sequence[Sequence[str]]) -> list[list[int]]:
        """Per claim, the indexed claims that hold at least ``min_shared`` of its looked-up terms (a
        rare figure counts twice), from one postings list per distinct term
        (``cluster.matcher.count_votes``).

        The lists of word pairs and figures whose counts ``term_stats`` has just read came with
        them; only the others are read here (those of words, and of terms whose counts were
        remembered)."""
        read = self._lists_read
        lists: dict[str, bytes] = {}
        pairs: list[str] = []
        words: dict[int, str] = {}
        word_ids = self.vocabulary().ids
        for term in {term for terms in chosen for term in terms}:
            if (ids := read.get(term)) is not None:
                lists[term] = ids
            elif not is_word(term):
                pairs.append(term)
            elif (word_id := word_ids.get(term)) is not None:
                words[word_id] = term
        lists.update(self._query_rows("SELECT term, ids FROM terms WHERE term IN ({})", sorted(pairs)))
        for word_id, ids in self._query_rows(
            "SELECT id, claims FROM word_postings WHERE id IN ({})", sorted(words)
        ):
            lists[words[word_id]] = ids
        return count_votes(chosen, lists, self.options)

    def same_text(self, keys: Sequence[str]) -> list[list[int]]:
        """Per match key, the current claims that have it (by ``claims_key``), none past the cap."""
        asked = set(keys)
        found: dict[str, list[int]] = {}
        rows = self._query_rows(
            "SELECT key, id FROM claims WHERE hashed IN ({}) AND current = 1",
            sorted({key_hash(key) for key in asked}),
        )
        for key, claim_id in rows:
            if key in asked:  # not another key of the same hash
                found.setdefault(key, []).append(claim_id)
        cap = self.options.gram_cap
        held = [found.get(key, []) for key in keys]
        return [sorted(ids) if len(ids) <= cap else [] for ids in held]

    def term_stats(self, terms: set[str]) -> dict[str, tuple[int, int]]:
        """Word pair or figure -> (articles, claims) holding it, for the terms the index counts.

        Read from SQLite only for terms not remembered; when more than ``_STATS_KEPT`` are, the
        older half is forgotten (a story's terms are asked for again while the story runs). The
        postings lists stored beside the counts come with them, and are kept for ``votes`` until
        the next write: read apart they were two seeks in two large tables (see the module's
        docstring).
        """
        remembered = self._stats_cache
        # not a set difference: O(cache); in no order, since SQLite sorts an ``IN`` list itself
        missing = [t for t in terms if t not in remembered]
        rows = self._query_rows(  # the counts packed by SQLite as ``_packed`` packs them
            f"SELECT term, articles << {_CLAIMS_BITS} | claims, ids FROM terms WHERE term IN ({{}})", missing
        )
        lists = self._lists_read = dict.fromkeys(missing, b"")
        remembered.update(dict.fromkeys(missing))
        for term, packed, ids in rows:
            lists[term] = ids
            remembered[term] = packed
        bits, mask = _CLAIMS_BITS, (1 << _CLAIMS_BITS) - 1  # ``_unpacked``, inline: ~560 terms
        found = {
            term: (known >> bits, known & mask) for term in terms if (known := remembered[term]) is not None
        }
        if len(remembered) > _STATS_KEPT:
            for term in list(islice(remembered, len(remembered) // 2)):
                del remembered[term]
        return found

    def profile(self, article_id: str) -> dict[str, int]:
        """How many of the article's current claims hold each term (``profiles``), remembered for
        the last ``PROFILES_KEPT`` articles read.

        Read only when the overlaps rule or the story check needs it: most candidate articles
        never reach either, and the rows are large. The memory is bounded: a rebuild reads the
        same recent articles again and again (a story's articles arrive together), not all of them.
        """
        return recall(self._profile_cache, article_id, partial(self._read_profile, article_id))

    def vocabulary(self) -> Vocabulary:
        """Every word with its counts (``words``), read whole once and then kept current by every
        write: a match weighs ~1,000 words, and the story check every word of every witness."""
        if self._words is None:
            self._words = Vocabulary(
                self.db.execute("SELECT word, articles, claims FROM words ORDER BY id").fetchall()
            )
        return self._words

    def _store_words(self, changed: Sequence[WordRow]) -> None:
        self.db.executemany(
            "INSERT INTO words VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET articles = excluded.articles, claims = excluded.claims",
            changed,
        )

    def stories(self, article_ids: Sequence[str]) -> list[bytes]:
        """The articles' packed story words (``stories``), in one query."""
        found = dict(
            self._query_rows("SELECT article_id, story FROM stories WHERE article_id IN ({})", article_ids)
        )
        return [bytes(found.get(article_id, b"")) for article_id in article_ids]

    def _read_profile(self, article_id: str) -> dict[str, int]:
        row = self.db.execute("SELECT terms FROM profiles WHERE article_id = ?", (article_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def _query_rows(self, sql: str, values: Sequence[str | int]) -> list[tuple[Any, ...]]:
        """Run ``sql`` (with one ``IN ({})``) over ``values`` in chunks below SQLite's variable limit.

        A list, fetched whole per chunk: a match reads ~1,400 term counts, and resuming a
        generator per row was a third of the time of reading them (cProfile, 10k articles).
        Each chunk is padded to a power of two by repeating its last value (an ``IN`` list
        ignores repeats), so the statement is one of ten texts, which the connection's statement
        cache keeps compiled: with a text per length, compiling them was 3% of a match."""
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(values), _CHUNK):
            chunk = list(values[start : start + _CHUNK])
            chunk += chunk[-1:] * ((1 << (len(chunk) - 1).bit_length()) - len(chunk))
            rows += self.db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
        return rows

    # -- reading ------------------------------------------------------------------------------

    def claims_by_id(self, ids: Sequence[int]) -> dict[int, Stored]:
        rows = self._query_rows(
            f"SELECT id, words, key, {_CLAIM_COLUMNS} FROM claims WHERE id IN ({{}})", ids
        )
        return {row[0]: Stored(Claim(*row[3:]), unpack_ids(row[1]), row[2]) for row in rows}

    def current_claims(self, article_id: str | None = None) -> list[Claim]:
        """Current-revision claims, of one article or of all, in document order."""
        sql = f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE current = 1"
        args: tuple[str, ...] = ()
        if article_id is not None:
            sql += " AND article_id = ?"
            args = (article_id,)
        return [
            Claim(*row) for row in self.db.execute(sql + " ORDER BY article_id, paragraph, sentence", args)
        ]

    def linked_claims(self) -> list[Claim]:
        """Current claims with at least one link: the members of every group of two or more."""
        rows = self.db.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE id IN (SELECT a FROM links UNION SELECT b FROM links)"
        )
        return [Claim(*row) for row in rows]

    def unlinked_claims(self) -> Iterator[Claim]:
        """Current claims without a link, streamed in ``cluster.groups.claim_order`` (first appearance,
        then document order; ``claims_order`` holds them so, and ``sort_key`` is ``rtrim(.., 'Z')``).

        Read from a cursor of its own: at 100k articles these are millions of claims, which the
        claim listing writes out one at a time instead of holding.
        """
        rows = self.db.cursor().execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE current = 1 "
            "AND NOT EXISTS (SELECT 1 FROM links WHERE a = c.id) "
            "AND NOT EXISTS (SELECT 1 FROM links WHERE b = c.id) "
            "ORDER BY rtrim(seen, 'Z'), article_id, revision, paragraph, sentence"
        )
        return (Claim(*row) for row in rows)

    def links(self, article_id: str | None = None) -> list[ClaimLink]:
        """Links between current claims: all, or those with a side in one article."""
        where = ""
        args: tuple[str, ...] = ()
        if article_id is not None:
            where, args = " WHERE a.article_id = ? OR b.article_id = ?", (article_id, article_id)
        rows = self.db.execute(
            "SELECT a.article_id, a.revision, a.paragraph, a.sentence, a.text, a.source, a.seen, "
            "b.article_id, b.revision, b.paragraph, b.sentence, b.text, b.source, b.seen, "
            "l.relation, l.score, l.conflict "
            "FROM links l JOIN claims a ON a.id = l.a JOIN claims b ON b.id = l.b" + where,
            args,
        )
        return [
            ClaimLink(Claim(*row[0:7]), Claim(*row[7:14]), Relation(row[14]), row[15], row[16])
            for row in rows
        ]

    def revision_claims(self, article_id: str, revision: int) -> list[Claim]:
        """The claims of one revision, in document order."""
        rows = self.db.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE article_id = ? AND revision = ? "
            "ORDER BY paragraph, sentence",
            (article_id, revision),
        )
        return [Claim(*row) for row in rows]

    def same_key(self, key: str) -> list[Claim]:
        """Every claim of any revision whose match key is ``key`` (verbatim appearances)."""
        rows = self.db.execute(
            "SELECT article_id, revision, paragraph, sentence, text, source, seen FROM claims "
            "WHERE hashed = ? AND key = ?",
            (key_hash(key), key),
        )
        return [Claim(*row) for row in rows]

    def article_count(self) -> int:
        """How many articles the index holds: kept in ``meta``, since counting the table reads all
        of it, and matching asks for every article."""
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'articles'").fetchone()[0])

    def revision_count(self, article_id: str) -> int:
        """How many revisions of the article the index holds (0 for an unknown article)."""
        row = self.db.execute("SELECT revisions FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else 0

    def current_claim_count(self) -> int:
        """How many claims of current revisions the index holds (counted by the partial index of
        current claims, without reading them)."""
        return int(self.db.execute("SELECT COUNT(*) FROM claims WHERE current = 1").fetchone()[0])

    def revision_total(self) -> int:
        """How many revisions of all articles the index holds."""
        return int(self.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0])

    def first_seen(self, article_id: str) -> str | None:
        """When the article's first revision was committed, if the index knows it."""
        row = self.db.execute("SELECT first_seen FROM articles WHERE id = ?", (article_id,)).fetchone()
        return str(row[0]) if row else None

    def revisions(self) -> list[Revision]:
        """Every indexed revision of every article, by article then number."""
        rows = self.db.execute(
            "SELECT article_id, number, commit_id, committed_at, kind FROM revisions "
            "ORDER BY article_id, number"
        )
        return [Revision(row[0], row[1], row[2], row[3], RevisionKind(row[4])) for row in rows]

    def articles(self) -> list[tuple[str, str, str | None, str | None, str | None, str, str]]:
        """(id, source, title, published, modified, first seen, warnings) of every article."""
        rows = self.db.execute(
            "SELECT id, source, title, published, modified, first_seen, warnings FROM articles ORDER BY id"
        )
        return [tuple(row) for row in rows]


class _Transaction:
    """A transaction that nests: only the outermost ``with`` begins and commits (or rolls back)."""

    def __init__(self, db: sqlite3.Connection, forget: Callable[[], None]) -> None:
        self.db = db
        self.forget = forget  # what a rollback must drop besides the writes
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN")

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if self.outer:
            self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
            if exc_type is not None:
                self.forget()


def open_index(state_dir: Path, options: ClusterOptions | None = None) -> Index:
    """The corpus's index file, created empty (schema only) if missing or unreadable."""
    state_dir.mkdir(exist_ok=True)
    index = Index(state_dir / FILE_NAME, options)
    if index.indexed_head() is None:
        index.reset()
    return index


def check_integrity(path: Path) -> bool:
    """True when SQLite finds the file sound (a damaged index is rebuilt, never trusted)."""
    try:
        with closing(sqlite3.connect(path)) as db:
            return bool(db.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.DatabaseError:
        return False


# every table by its key; links in insertion (rowid) order, which the listings follow
_TABLE_ROWS = {
    "sqlite_schema": "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
    "meta": "SELECT * FROM meta ORDER BY key",
    "articles": "SELECT * FROM articles ORDER BY id",
    "revisions": "SELECT * FROM revisions ORDER BY article_id, number",
    "claims": "SELECT * FROM claims ORDER BY id",
    "terms": "SELECT * FROM terms ORDER BY term",
    "word_postings": "SELECT * FROM word_postings ORDER BY id",
    "stories": "SELECT * FROM stories ORDER BY article_id",
    "profiles": "SELECT * FROM profiles ORDER BY article_id",
    "words": "SELECT * FROM words ORDER BY id",
    "links": "SELECT a, b, relation, score, conflict FROM links ORDER BY rowid",
}


def table_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of an index file, in key order: what two builds of one history must
    agree on (a rebuild in memory and one revision at a time; tests and benchmarks/bench_rebuild.py)."""
    with closing(sqlite3.connect(path)) as db:
        return {table: db.execute(sql).fetchall() for table, sql in _TABLE_ROWS.items()}
