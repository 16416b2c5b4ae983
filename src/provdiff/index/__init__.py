"""Stage ``index``: the derived SQLite index of articles, revisions, claims, postings and claim links.

The only module that imports sqlite3. Git is the source of truth: the index records the corpus
commit it reflects and is rebuilt from git whenever that commit is not the corpus head (a commit made
outside provdiff, a deleted or damaged index file). It lives in the ignored state directory.

Claims of every revision are kept (blame needs old revisions); only the current revision of each
article takes part in claim groups. Postings map each content term of a current claim to the claim;
a term held by more than ``gram_cap`` claims proposes no candidates.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path

from provdiff.alignment.claims import term_set
from provdiff.cluster import extract_claims
from provdiff.cluster.verify import ClusterOptions, Rarity, Side, verify
from provdiff.errors import CorpusError
from provdiff.model import Article, Claim, ClaimLink, Relation, Revision
from provdiff.segment import match_key

SCHEMA = 1
FILE_NAME = "index.sqlite"

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
    seen TEXT NOT NULL, current INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX claims_article ON claims(article_id, revision);
CREATE INDEX claims_key ON claims(key);
CREATE TABLE postings(term TEXT NOT NULL, claim INTEGER NOT NULL);
CREATE INDEX postings_term ON postings(term);
CREATE INDEX postings_claim ON postings(claim);
CREATE TABLE term_articles(term TEXT PRIMARY KEY, articles INTEGER NOT NULL);
CREATE TABLE links(
    a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL, score REAL NOT NULL,
    conflict TEXT NOT NULL);
CREATE INDEX links_a ON links(a);
CREATE INDEX links_b ON links(b);
"""


class Index:
    """The index of one corpus. Use as a context manager; writes are one transaction."""

    def __init__(self, path: Path, options: ClusterOptions | None = None) -> None:
        self.path = path
        self.options = options or ClusterOptions()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

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
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_TABLES)
        self.db.execute("INSERT INTO meta VALUES ('schema', ?), ('head', '')", (str(SCHEMA),))

    def set_head(self, head: str) -> None:
        """Record the corpus commit the index now reflects."""
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (head,))

    # -- writing ------------------------------------------------------------------------------

    def add_revision(
        self, article: Article, revision: Revision, first_seen: str, warnings: Sequence[str]
    ) -> list[ClaimLink]:
        """Index one revision (the newest of its article) and match its claims against the corpus.

        Returns the new links. Earlier revisions of the article stop taking part in groups.
        """
        when = article.meta.published or revision.committed_at
        claims = extract_claims(article, revision.number, when)
        db = self.db
        db.execute("BEGIN")
        try:
            self._retire(article.article_id)
            db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.article_id,
                    article.meta.source or "",
                    article.meta.title,
                    article.meta.url,
                    article.meta.published,
                    article.meta.modified,
                    revision.number,
                    first_seen,
                    "\n".join(warnings),
                ),
            )
            db.execute(
                "INSERT OR REPLACE INTO revisions VALUES (?, ?, ?, ?, ?)",
                (
                    article.article_id,
                    revision.number,
                    revision.commit,
                    revision.committed_at,
                    revision.kind.value,
                ),
            )
            found = self._match(claims)
            ids = [self._insert_claim(claim) for claim in claims]
            terms = [term_set(claim.text) for claim in claims]
            db.executemany(
                "INSERT INTO postings VALUES (?, ?)",
                [(term, claim_id) for claim_id, held in zip(ids, terms, strict=True) for term in held],
            )
            for term in {t for held in terms for t in held}:
                db.execute(
                    "INSERT INTO term_articles VALUES (?, 1) "
                    "ON CONFLICT(term) DO UPDATE SET articles = articles + 1",
                    (term,),
                )
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
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return found

    def _retire(self, article_id: str) -> None:
        """Take an article's current claims out of postings, term counts and links."""
        db = self.db
        current = [
            row[0]
            for row in db.execute("SELECT id FROM claims WHERE article_id = ? AND current = 1", (article_id,))
        ]
        if not current:
            return
        marks = ",".join("?" * len(current))
        terms = {row[0] for row in db.execute(f"SELECT term FROM postings WHERE claim IN ({marks})", current)}
        db.executemany(
            "UPDATE term_articles SET articles = articles - 1 WHERE term = ?", [(t,) for t in terms]
        )
        db.execute(f"DELETE FROM postings WHERE claim IN ({marks})", current)
        db.execute(f"DELETE FROM links WHERE a IN ({marks}) OR b IN ({marks})", current + current)
        db.execute(f"UPDATE claims SET current = 0 WHERE id IN ({marks})", current)

    def _insert_claim(self, claim: Claim) -> int:
        cursor = self.db.execute(
            "INSERT INTO claims(article_id, revision, paragraph, sentence, text, source, seen, current, key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (
                claim.article_id,
                claim.revision,
                claim.paragraph,
                claim.sentence,
                claim.text,
                claim.source,
                claim.when,
                match_key(claim.text),
            ),
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

    def _match(self, claims: Sequence[Claim]) -> list[ClaimLink]:
        """Links from new claims to current claims of other articles, via capped postings."""
        if not claims:
            return []
        article = claims[0].article_id
        terms = [term_set(claim.text) for claim in claims]
        df: Counter[str] = Counter(t for held in terms for t in held)
        vocabulary = sorted(df)
        counts = dict(
            self._query_many(
                "SELECT term, COUNT(*) FROM postings WHERE term IN ({}) GROUP BY term", vocabulary
            )
        )
        usable = [t for t in vocabulary if 0 < counts.get(t, 0) <= self.options.gram_cap]
        postings: dict[str, list[int]] = {}
        for term, claim_id in self._query_many("SELECT term, claim FROM postings WHERE term IN ({})", usable):
            postings.setdefault(term, []).append(claim_id)
        held_by = dict(
            self._query_many("SELECT term, articles FROM term_articles WHERE term IN ({})", vocabulary)
        )
        others = self.db.execute("SELECT COUNT(*) FROM articles WHERE id != ?", (article,)).fetchone()[0]
        total = int(others) + 1
        rarity = Rarity(Counter({t: held_by.get(t, 0) + 1 for t in vocabulary}), total)
        found = []
        article_df: dict[str, Counter[str]] = {}
        for claim, held in zip(claims, terms, strict=True):
            votes: Counter[int] = Counter()
            for term in held:
                for candidate in postings.get(term, ()):
                    votes[candidate] += 2 if term.startswith("#") else 1
            candidates = [cid for cid, n in votes.items() if n >= self.options.min_shared]
            for other in self._claims(candidates):
                if other.article_id == article:
                    continue
                if other.article_id not in article_df:
                    article_df[other.article_id] = Counter(
                        t for c in self.current_claims(other.article_id) for t in term_set(c.text)
                    )
                theirs = Side(other, term_set(other.text), article_df[other.article_id])
                link = verify(theirs, Side(claim, held, df), rarity, self.options)
                if link is not None:
                    found.append(link)
        return found

    def _query_many(self, sql: str, values: Sequence[str]) -> Iterator[tuple[str, int]]:
        """Run ``sql`` (with one ``IN ({})``) over ``values`` in chunks below SQLite's variable limit."""
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            yield from self.db.execute(sql.format(",".join("?" * len(chunk))), chunk)

    # -- reading ------------------------------------------------------------------------------

    def _claims(self, ids: Iterable[int]) -> list[Claim]:
        wanted = list(ids)
        out: list[Claim] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.db.execute(
                "SELECT article_id, revision, paragraph, sentence, text, source, seen FROM claims "
                f"WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.extend(Claim(*row) for row in rows)
        return out

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

    def links(self) -> list[ClaimLink]:
        """Every link between current claims."""
        rows = self.db.execute(
            "SELECT a.article_id, a.revision, a.paragraph, a.sentence, a.text, a.source, a.seen, "
            "b.article_id, b.revision, b.paragraph, b.sentence, b.text, b.source, b.seen, "
            "l.relation, l.score, l.conflict "
            "FROM links l JOIN claims a ON a.id = l.a JOIN claims b ON b.id = l.b"
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
            "SELECT article_id, revision, paragraph, sentence, text, source, seen FROM claims WHERE key = ?",
            (key,),
        )
        return [Claim(*row) for row in rows]

    def revision_count(self, article_id: str) -> int:
        """How many revisions of the article the index holds (0 for an unknown article)."""
        row = self.db.execute("SELECT revisions FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else 0

    def first_seen(self, article_id: str) -> str | None:
        """When the article's first revision was committed, if the index knows it."""
        row = self.db.execute("SELECT first_seen FROM articles WHERE id = ?", (article_id,)).fetchone()
        return str(row[0]) if row else None

    def articles(self) -> list[tuple[str, str, str | None, str | None, str | None, str, str]]:
        """(id, source, title, published, modified, first seen, warnings) of every article."""
        rows = self.db.execute(
            "SELECT id, source, title, published, modified, first_seen, warnings FROM articles ORDER BY id"
        )
        return [tuple(row) for row in rows]


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
