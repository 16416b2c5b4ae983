"""Stage ``index``: the derived SQLite index of articles, revisions, claims, claim links and groups.

The only module that imports sqlite3. It stores; it never decides. Git is the source of truth: the
index records the corpus commit its claims reflect (``head``) and is caught up or rebuilt from git
whenever that is not the corpus head (a commit made outside provdiff, a deleted or damaged file).
It lives in the ignored state directory.

Claims of every revision are kept (blame needs old revisions); only the current revision of each
article takes part in groups. The links and groups are what ``claims.relate`` found over the current
claims, stored with the corpus commit and the relation's options they were found for (``related``):
when either differs they are found again (``Index.relate``), in one batch, so that they are always a
function of the corpus as it stands, however and in whatever order it was built. Each link keeps its
evidence (JSON of ``model.Evidence``), so every report can say why two claims are one.

Tables: ``meta``, ``articles``, ``revisions``, ``claims`` (``current`` marks the current revision's;
``hashed`` is the 32-bit hash of the match key, by which verbatim appearances are looked up),
``links`` (between current claims) and ``members`` (group number, claim, and ``also``: 1 for a
claim whose own group is another, that states this group's claim too).

``terms``, ``meanings`` and ``judged`` are the relation's memo (``claims.batch.Memo``), by 63-bit
hashes of the texts (``text_hash``): each current text's candidate term hashes (and its node, the
``claims.hashed``), the sentence vector
of each text the semantic model read (float16), and the judgements of pairs of current texts, for
the options in ``meta.memo``. After an ingest, relating again computes the new
texts' terms and the new pairs' judgements only. They are a cache, never a result: entries of texts
no longer current are dropped at each ``relate``, and ``table_rows`` leaves them out.

``postings`` inverts ``terms``: (term hash, node) for every term of every current node. It is what
a claim lookup (``provdiff match``) reads: the nodes that hold a text's terms, in one range read
per term, where the corpus's own relation reads every node's terms at once. It is built by the
first lookup (``keep_postings``; ``meta.postings``), then kept with ``terms`` at each ``relate``:
at 1,000 generated articles it is 1.1M rows, +24 MB and +5 s on a rebuild, a cost only
corpora that are looked up should pay.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from provdiff.claims.batch import Memo, extract_claims, relate
from provdiff.claims.candidates import key_hash
from provdiff.claims.groups import claim_order, classify, stream_groups
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import Judgement
from provdiff.errors import CorpusError
from provdiff.model import (
    Article,
    Claim,
    ClaimGroup,
    ClaimLink,
    Evidence,
    Relation,
    Revision,
    RevisionKind,
)
from provdiff.segment import match_key
from provdiff.segment.language import article_language

SCHEMA = 20
FILE_NAME = "index.sqlite"
_CHUNK = 500  # values per ``IN`` list, below SQLite's variable limit

_CLAIM_COLUMNS = "article_id, revision, paragraph, sentence, text, source, seen"
_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, url TEXT, published TEXT, modified TEXT,
    revisions INTEGER NOT NULL, first_seen TEXT NOT NULL, warnings TEXT NOT NULL, lang TEXT);
CREATE TABLE revisions(
    article_id TEXT NOT NULL, number INTEGER NOT NULL, commit_id TEXT NOT NULL,
    committed_at TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY(article_id, number));
CREATE TABLE claims(
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, revision INTEGER NOT NULL,
    paragraph INTEGER NOT NULL, sentence INTEGER NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL,
    seen TEXT NOT NULL, current INTEGER NOT NULL, hashed INTEGER NOT NULL);
CREATE TABLE links(
    a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL, score REAL NOT NULL,
    conflict TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE TABLE members(grp INTEGER NOT NULL, claim INTEGER NOT NULL, also INTEGER NOT NULL);
CREATE TABLE terms(text INTEGER PRIMARY KEY, node INTEGER NOT NULL, hashes BLOB NOT NULL);
CREATE TABLE postings(term INTEGER NOT NULL, node INTEGER NOT NULL, PRIMARY KEY(term, node)) WITHOUT ROWID;
CREATE TABLE meanings(text INTEGER PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE judged(
    a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL, score REAL NOT NULL,
    evidence TEXT NOT NULL, PRIMARY KEY(a, b)) WITHOUT ROWID;
CREATE INDEX claims_article ON claims(article_id, revision);
CREATE INDEX claims_key ON claims(hashed);
CREATE INDEX claims_order ON claims(rtrim(seen, 'Z'), article_id, revision, paragraph, sentence)
    WHERE current = 1;
CREATE INDEX links_a ON links(a);
CREATE INDEX links_b ON links(b);
CREATE INDEX members_claim ON members(claim);
CREATE INDEX members_grp ON members(grp);
"""
_EVIDENCE_TUPLES = {f.name for f in fields(Evidence) if f.type.startswith("tuple")}


def text_hash(text: str) -> int:
    """The 63-bit hash of a claim's text that the memo tables key it by (a collision among a
    corpus's texts is not expected; ``zlib.crc32``'s 32 bits would collide in a large one)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1


class Index:
    """The index of one corpus. Use as a context manager; writes are one transaction."""

    def __init__(self, path: Path, options: RelationOptions | None = None) -> None:
        self.path = path
        self.options = options or RelationOptions()  # of the relation whose links and groups it stores
        self.db = sqlite3.connect(path, isolation_level=None)
        self._pragmas()

    def _pragmas(self) -> None:
        # The index is derived and rebuilt when damaged (quick_check at open), so it skips fsync.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA temp_store=MEMORY")

    def transaction(self) -> _Transaction:
        """``with index.transaction():`` groups many writes into one commit (or one rollback)."""
        return _Transaction(self.db)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *_: object) -> None:
        self.db.close()

    # -- state --------------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        try:
            return dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            return {}

    def indexed_head(self) -> str | None:
        """The corpus commit the claims reflect, or None when the index is empty, old or unreadable."""
        rows = self._meta()
        if rows.get("schema") != str(SCHEMA):
            return None
        return rows.get("head")

    def reset(self) -> None:
        """Drop everything; the next writes rebuild the index from scratch."""
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self._pragmas()
        self.db.executescript(_TABLES)
        self.db.execute(
            "INSERT INTO meta VALUES ('schema', ?), ('head', ''), ('related', '')", (str(SCHEMA),)
        )

    def set_head(self, head: str) -> None:
        """Record the corpus commit the claims now reflect."""
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (head,))

    def related_for(self) -> str:
        """What the stored links and groups were found for (``_relation_stamp``), "" if never."""
        return self._meta().get("related", "")

    # -- writing ------------------------------------------------------------------------------

    def add_revision(
        self, article: Article, revision: Revision, first_seen: str, warnings: Sequence[str]
    ) -> None:
        """Index one revision (the newest of its article): its claims become the article's current
        ones. The links and groups are found again by the next ``relate``."""
        when = article.meta.published or revision.committed_at
        meta = article.meta
        with self.transaction():
            self.db.execute(
                "UPDATE claims SET current = 0 WHERE article_id = ? AND current = 1", (article.article_id,)
            )
            self.db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.article_id,
                    meta.source or "",
                    meta.title,
                    meta.url,
                    meta.published,
                    meta.modified,
                    revision.number,
                    first_seen,
                    "\n".join(warnings),
                    article_language(article.paragraphs, meta.lang),
                ),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO revisions VALUES (?, ?, ?, ?, ?)",
                (
                    revision.article_id,
                    revision.number,
                    revision.commit,
                    revision.committed_at,
                    revision.kind.value,
                ),
            )
            self.db.executemany(
                f"INSERT INTO claims({_CLAIM_COLUMNS}, current, hashed) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                [
                    (
                        c.article_id,
                        c.revision,
                        c.paragraph,
                        c.sentence,
                        c.text,
                        c.source,
                        c.when,
                        key_hash(match_key(c.text)),
                    )
                    for c in extract_claims(article, revision.number, when)
                ],
            )
            self.db.execute("UPDATE meta SET value = '' WHERE key = 'related'")

    def remove_articles(self, article_ids: Iterable[str]) -> None:
        """Forget articles the corpus no longer holds (deleted with git): their claims and row (their
        revisions stay counted, so one added back numbers on as a rebuild does); the links and groups
        are found again by the next ``relate``."""
        gone = [(article_id,) for article_id in sorted(article_ids)]
        if not gone:
            return
        with self.transaction():
            for table, column in (("claims", "article_id"), ("articles", "id")):
                self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
            self.db.execute("UPDATE meta SET value = '' WHERE key = 'related'")

    def relate(self) -> None:
        """Find the links and groups of the current claims again (``claims.relate``) and store them,
        unless they were found for these claims and options already."""
        options = self.options
        stamp = _relation_stamp(self.indexed_head() or "", options)
        if self.related_for() == stamp:
            return
        rows = self.db.execute(
            f"SELECT id, hashed, {_CLAIM_COLUMNS} FROM claims WHERE current = 1"
        ).fetchall()
        claims = [Claim(*row[2:]) for row in rows]
        ids = {claim.claim_id: row[0] for claim, row in zip(claims, rows, strict=True)}
        nodes = {claim.text: row[1] for claim, row in zip(claims, rows, strict=True)}
        postings = bool(self._meta().get("postings"))
        memo, hashed, stale = self._memo(nodes, postings=postings)
        known = set(memo.terms), set(memo.judged), set(memo.meanings)
        found = relate(claims, options, memo=memo)
        with self.transaction():
            self._keep(
                memo,
                hashed,
                stale,
                nodes,
                postings=postings,
                known_terms=known[0],
                known_judged=known[1],
                known_meanings=known[2],
            )
            self.db.execute("DELETE FROM links")
            self.db.execute("DELETE FROM members")
            self.db.executemany(
                "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        ids[link.a.claim_id],
                        ids[link.b.claim_id],
                        link.relation.value,
                        link.score,
                        link.conflict,
                        _evidence_json(link.evidence),
                    )
                    for link in found.links
                ],
            )
            self.db.executemany(
                "INSERT INTO members VALUES (?, ?, ?)",
                [
                    (number, ids[claim.claim_id], also)
                    for number, cluster in enumerate(found.clusters)
                    for also, held in ((0, cluster.claims), (1, cluster.also))
                    for claim in held
                ],
            )
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'related'", (stamp,))

    def adopt_memo(self, other: Path) -> None:
        """Take the relation's memo of the index file ``other`` (that of another commit of the same
        corpus, which shares most texts): the next ``relate`` reuses what it holds. A missing or
        unreadable file, or one of another schema, gives nothing."""
        try:
            with closing(sqlite3.connect(f"file:{other}?mode=ro", uri=True)) as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("schema") != str(SCHEMA):
                    return
                terms = db.execute("SELECT * FROM terms").fetchall()
                meanings = db.execute("SELECT * FROM meanings").fetchall()
                judged = db.execute("SELECT * FROM judged").fetchall()
        except sqlite3.DatabaseError:
            return
        with self.transaction():
            self.db.executemany("INSERT OR IGNORE INTO terms VALUES (?, ?, ?)", terms)
            self.db.executemany("INSERT OR IGNORE INTO meanings VALUES (?, ?)", meanings)
            if "memo" in meta:
                self.db.execute("DELETE FROM judged")
                self.db.executemany("INSERT INTO judged VALUES (?, ?, ?, ?, ?)", judged)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('memo', ?)", (meta["memo"],))

    def keep_postings(self) -> None:
        """Build ``postings`` from ``terms`` if this index has none yet; from then on each
        ``relate`` keeps them (call it after ``relate``: ``terms`` then holds the current texts)."""
        if self._meta().get("postings"):
            return
        with self.transaction():
            self._post(self.db.execute("SELECT node, hashes FROM terms").fetchall())
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('postings', '1')")

    def _post(self, rows: Iterable[tuple[int, bytes]]) -> None:
        """Add the postings of (node, term hashes) rows, in key order (B-tree appends)."""
        self.db.executemany(
            "INSERT OR IGNORE INTO postings VALUES (?, ?)",
            sorted({(term, node) for node, data in rows for term in _hashes(data)}),
        )

    def _memo(
        self, nodes: dict[str, int], *, postings: bool
    ) -> tuple[Memo, dict[str, int], dict[str, list[tuple[int, ...]]]]:
        """The stored memo of the current texts (``nodes``: each text's node, ``claims.hashed``),
        their hashes, and the keys of each memo table's entries of other texts (stale: ``_keep``
        drops them, and with ``postings`` the postings of their terms that no current text of their
        node holds), found in the one read of each table."""
        hashed = {text: text_hash(text) for text in nodes}
        text_of = {h: text for text, h in hashed.items()}
        memo = Memo()
        stale: dict[str, list[tuple[int, ...]]] = {"terms": [], "meanings": [], "judged": [], "postings": []}
        retired: list[tuple[int, bytes]] = []
        for key, node, hashes in self.db.execute("SELECT text, node, hashes FROM terms"):
            if key in text_of:
                memo.terms[text_of[key]] = bytes(hashes)
            else:
                stale["terms"].append((key,))
                retired.append((node, bytes(hashes)))
        if retired and postings:
            held: dict[int, set[int]] = {}  # the terms of current nodes that lose a text
            losing = {node for node, _ in retired}
            for text, data in memo.terms.items():
                if nodes[text] in losing:
                    held.setdefault(nodes[text], set()).update(_hashes(data))
            for node, data in retired:
                kept = held.get(node, set())
                stale["postings"].extend((term, node) for term in _hashes(data) if term not in kept)
        for key, vector in self.db.execute("SELECT text, vector FROM meanings"):
            if key in text_of:
                memo.meanings[text_of[key]] = bytes(vector)
            else:
                stale["meanings"].append((key,))
        if self._meta().get("memo") == _options_stamp(self.options):  # else ``_keep`` drops them all
            for a, b, relation, score, evidence in self.db.execute("SELECT * FROM judged"):
                if a in text_of and b in text_of:
                    found = _evidence(evidence)
                    assert found is not None
                    memo.judged[(text_of[a], text_of[b])] = Judgement(Relation(relation), score, found)
                else:
                    stale["judged"].append((a, b))
        return memo, hashed, stale

    def _keep(
        self,
        memo: Memo,
        hashed: dict[str, int],
        stale: dict[str, list[tuple[int, ...]]],
        nodes: dict[str, int],
        *,
        postings: bool,
        known_terms: set[str],
        known_judged: set[tuple[str, str]],
        known_meanings: set[str],
    ) -> None:
        """Store what ``relate`` added to the memo, and drop entries of texts no longer current."""
        self.db.executemany("DELETE FROM terms WHERE text = ?", stale["terms"])
        self.db.executemany("DELETE FROM postings WHERE term = ? AND node = ?", stale["postings"])
        self.db.executemany("DELETE FROM meanings WHERE text = ?", stale["meanings"])
        self.db.executemany("DELETE FROM judged WHERE a = ? AND b = ?", stale["judged"])
        stamp = _options_stamp(self.options)
        if self._meta().get("memo") != stamp:
            self.db.execute("DELETE FROM judged")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('memo', ?)", (stamp,))
        added = [(text, nodes[text], terms) for text, terms in memo.terms.items() if text not in known_terms]
        self.db.executemany(
            "INSERT OR REPLACE INTO terms VALUES (?, ?, ?)", [(hashed[t], n, d) for t, n, d in added]
        )
        if postings:
            self._post((node, data) for _, node, data in added)
        self.db.executemany(
            "INSERT OR REPLACE INTO meanings VALUES (?, ?)",
            [(hashed[text], data) for text, data in memo.meanings.items() if text not in known_meanings],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO judged VALUES (?, ?, ?, ?, ?)",
            [
                (hashed[a], hashed[b], found.relation.value, found.score, _evidence_json(found.evidence))
                for (a, b), found in memo.judged.items()
                if (a, b) not in known_judged
            ],
        )

    # -- reading ------------------------------------------------------------------------------

    def groups(self) -> Iterator[ClaimGroup]:
        """Every claim group of the current claims, largest first (``claims.groups.stream_groups``):
        groups of linked claims are read whole, claims without a group streamed from the index.
        Consume it while the index is open."""
        return stream_groups(self._linked_groups(), self.unlinked_claims())

    def _linked_groups(self, where: str = "", args: Sequence[Any] = ()) -> list[ClaimGroup]:
        """The groups of two or more claims (those with a claim in ``where``, over ``members m``)."""
        rows = self.db.execute(
            f"SELECT m.grp, m.also, c.id, {', '.join('c.' + n for n in _CLAIM_COLUMNS.split(', '))} "
            "FROM members m JOIN claims c ON c.id = m.claim"
            + (f" WHERE m.grp IN (SELECT grp FROM members m WHERE {where})" if where else ""),
            args,
        ).fetchall()
        members: dict[int, tuple[list[Claim], list[Claim]]] = {}
        by_id: dict[int, Claim] = {}
        group_of: dict[int, set[int]] = {}
        for grp, also, claim_id, *claim in rows:
            member = by_id.setdefault(claim_id, Claim(*claim))
            members.setdefault(grp, ([], []))[also].append(member)
            group_of.setdefault(claim_id, set()).add(grp)
        links: dict[int, list[ClaimLink]] = {}
        for a, b, link in self._links_among(sorted(by_id)):
            for grp in group_of.get(a, set()) & group_of.get(b, set()):
                links.setdefault(grp, []).append(link)
        return [classify(held, links.get(grp, []), also) for grp, (held, also) in sorted(members.items())]

    def _links_among(self, ids: Sequence[int]) -> Iterator[tuple[int, int, ClaimLink]]:
        """(a, b, link) for every stored link from one of ``ids``."""
        columns = ", ".join(f"{side}.{n}" for side in ("a", "b") for n in _CLAIM_COLUMNS.split(", "))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self.db.execute(
                f"SELECT l.a, l.b, {columns}, l.relation, l.score, l.conflict, l.evidence FROM links l "
                "JOIN claims a ON a.id = l.a JOIN claims b ON b.id = l.b "
                f"WHERE l.a IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                yield row[0], row[1], _link(row[2:])

    def groups_with(self, article_ids: Sequence[str]) -> list[ClaimGroup]:
        """The groups of two or more claims that hold a current claim of one of these articles."""
        marks = ",".join("?" * len(article_ids))
        return self._linked_groups(
            f"m.claim IN (SELECT id FROM claims WHERE current = 1 AND article_id IN ({marks}))", article_ids
        )

    def group_of(self, claim: Claim) -> ClaimGroup | None:
        """The group a current claim belongs to (its own, not one it is ``also`` in), or None."""
        found = self._linked_groups(
            "m.also = 0 AND m.claim IN (SELECT id FROM claims WHERE article_id = ? AND revision = ? "
            "AND paragraph = ? AND sentence = ?)",
            (claim.article_id, claim.revision, claim.paragraph, claim.sentence),
        )
        return next((g for g in found if claim in g.claims), None)

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

    def unlinked_claims(self) -> Iterator[Claim]:
        """Current claims in no group, streamed in ``claims.groups.claim_order`` (first appearance,
        then document order; ``claims_order`` holds them so, and ``sort_key`` is ``rtrim(.., 'Z')``).

        Read from a cursor of its own: a large corpus has millions, which the claim listing writes
        out one at a time instead of holding.
        """
        rows = self.db.cursor().execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE current = 1 "
            "AND NOT EXISTS (SELECT 1 FROM members WHERE claim = c.id) "
            "ORDER BY rtrim(seen, 'Z'), article_id, revision, paragraph, sentence"
        )
        return (Claim(*row) for row in rows)

    def links(self, article_id: str | None = None) -> list[ClaimLink]:
        """Links between current claims: all, or those with a side in one article."""
        columns = ", ".join(f"{side}.{n}" for side in ("a", "b") for n in _CLAIM_COLUMNS.split(", "))
        where = ""
        args: tuple[str, ...] = ()
        if article_id is not None:
            where, args = " WHERE a.article_id = ? OR b.article_id = ?", (article_id, article_id)
        rows = self.db.execute(
            f"SELECT {columns}, l.relation, l.score, l.conflict, l.evidence "
            "FROM links l JOIN claims a ON a.id = l.a JOIN claims b ON b.id = l.b"
            + where
            + " ORDER BY l.rowid",
            args,
        )
        return [_link(row) for row in rows]

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
        rows = self.db.execute(f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE hashed = ?", (key_hash(key),))
        return [claim for claim in (Claim(*row) for row in rows) if match_key(claim.text) == key]

    def postings(self, terms: Sequence[int], limit: int) -> dict[int, list[int]]:
        """For each term hash, the nodes (``candidates.node_hash``) of current claims that hold it: at most
        ``limit`` of them (a caller that needs to know a term is common asks for one more than it
        uses). One range read of ``postings`` per term."""
        if not self._meta().get("postings"):
            raise CorpusError("the claim index has no postings: open it with postings=True to look claims up")
        read = "SELECT node FROM postings WHERE term = ? ORDER BY node LIMIT ?"
        return {term: [row[0] for row in self.db.execute(read, (term, limit))] for term in set(terms)}

    def node_claims(self, nodes: Sequence[int]) -> list[Claim]:
        """The current claims whose match key hashes to one of ``nodes``, in first-seen then
        document order."""
        found: list[Claim] = []
        for start in range(0, len(nodes), _CHUNK):
            chunk = nodes[start : start + _CHUNK]
            rows = self.db.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM claims "
                f"WHERE hashed IN ({','.join('?' * len(chunk))}) AND current = 1",
                chunk,
            )
            found.extend(Claim(*row) for row in rows)
        return sorted(found, key=claim_order)

    def meanings_of(self, texts: Sequence[str]) -> dict[str, bytes]:
        """The stored sentence vectors (``claims.meaning.stored``) of those of ``texts`` that have one."""
        of = {text_hash(text): text for text in texts}
        keys = list(of)
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            rows = self.db.execute(
                f"SELECT text, vector FROM meanings WHERE text IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update((of[key], bytes(vector)) for key, vector in rows)
        return found

    def revision_count(self, article_id: str) -> int:
        """How many revisions of the article the index holds (0 for an unknown article); an
        article removed with git and added back goes on counting, as its git history does."""
        row = self.db.execute(
            "SELECT max(number) FROM revisions WHERE article_id = ?", (article_id,)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def current_claim_count(self) -> int:
        """How many claims of current revisions the index holds."""
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
            "WHERE article_id IN (SELECT id FROM articles) ORDER BY article_id, number"
        )
        return [Revision(row[0], row[1], row[2], row[3], RevisionKind(row[4])) for row in rows]

    def languages(self) -> dict[str, str | None]:
        """Each article's language (given, else detected from its newest revision), by id."""
        return dict(self.db.execute("SELECT id, lang FROM articles"))

    def articles(self) -> list[tuple[str, str, str | None, str | None, str | None, str, str]]:
        """(id, source, title, published, modified, first seen, warnings) of every article."""
        rows = self.db.execute(
            "SELECT id, source, title, published, modified, first_seen, warnings FROM articles ORDER BY id"
        )
        return [tuple(row) for row in rows]


class _Transaction:
    """A transaction that nests: only the outermost ``with`` begins and commits (or rolls back)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN")

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if self.outer:
            self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _relation_stamp(head: str, options: RelationOptions) -> str:
    """What a set of links and groups was found for: the claims' commit and the relation's options."""
    return json.dumps({"head": head, "options": options.echo()}, sort_keys=True)


def _options_stamp(options: RelationOptions) -> str:
    """The options a memo's judgements hold for."""
    return json.dumps(options.echo(), sort_keys=True)


def _hashes(data: bytes) -> list[int]:
    """The term hashes of a ``terms`` row's bytes (``candidates.term_hashes``, 8 bytes each)."""
    return list(array("q", data))


def _evidence_json(found: Evidence | None) -> str:
    return json.dumps(asdict(found), ensure_ascii=False) if found is not None else "{}"


def _evidence(text: str) -> Evidence | None:
    body = json.loads(text)
    if not body:
        return None
    for name in _EVIDENCE_TUPLES:
        body[name] = tuple(tuple(v) if isinstance(v, list) else v for v in body.get(name, ()))
    return Evidence(**body)


def _link(row: Sequence[Any]) -> ClaimLink:
    """A link from a row of two claims' columns, then relation, score, conflict and evidence."""
    return ClaimLink(
        Claim(*row[0:7]), Claim(*row[7:14]), Relation(row[14]), row[15], row[16], _evidence(row[17])
    )


def open_index(state_dir: Path, options: RelationOptions | None = None) -> Index:
    """The corpus's index file, created empty (schema only) if missing, unreadable or of another schema."""
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


# every table by its key; links and members in insertion (rowid) order, which the listings follow
_TABLE_ROWS = {
    "meta": "SELECT * FROM meta ORDER BY key",
    "articles": "SELECT * FROM articles ORDER BY id",
    "revisions": "SELECT * FROM revisions ORDER BY article_id, number",
    "claims": "SELECT * FROM claims ORDER BY id",
    "links": "SELECT * FROM links ORDER BY rowid",
    "members": "SELECT * FROM members ORDER BY rowid",
}


def table_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of an index file, in key order (tests compare two builds with it)."""
    with closing(sqlite3.connect(path)) as db:
        return {table: db.execute(sql).fetchall() for table, sql in _TABLE_ROWS.items()}
