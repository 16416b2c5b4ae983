"""Which stored article a document is a version of, and the safe id it is stored under.

Identity decides whether an ingest records a new article or a new revision of a known one, so it must
not depend on anything a publisher edits (the headline, the text). In order of trust: a native id
(given by the user, the JSON Lines record or the WordPress post id) within the source; the feed guid;
the canonical URL; last, the source plus the file name (else the headline), as a slug when it is
ASCII and as written when not.

The stored id is ``<source-slug>/<readable-slug>-<hash>``: the hash of the identity key makes it unique
and the slugs are reduced to ``[a-z0-9-]`` so no id can name a path outside the corpus or look like an
option to git.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from provdiff.model import Metadata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.I)
_MAX_SLUG = 48


def slugify(text: str, limit: int = _MAX_SLUG) -> str:
    """Lower-case ASCII words joined by ``-``, at most ``limit`` characters; never empty.

    >>> slugify("US and South Korea: Ça va!")
    'us-and-south-korea-ca-va'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("   ")
    'x'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "x"


def canonical_url(url: str) -> str:
    """The URL with case-insensitive parts lowered, tracking parameters, fragment and default port dropped.

    >>> canonical_url("HTTPS://Example.com:443/a/b/?utm_source=x&id=3#top")
    'https://example.com/a/b?id=3'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    if parts.port is not None and parts.port != default:
        host = f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def url_source(url: str) -> str | None:
    """A source name from a URL's host (``www.`` dropped), for articles ingested without ``--source``."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host.removeprefix("www.") or None


def identity_key(meta: Metadata, source: str, name_hint: str | None) -> tuple[str, str]:
    """(key, readable name): the key is equal for every version of one article and different across
    articles; the readable name is taken only from what the key itself rests on, so it is as stable."""
    if meta.native_id:
        return f"id:{source}:{meta.native_id}", meta.slug or meta.native_id
    if meta.guid:
        return f"guid:{meta.guid.strip()}", meta.slug or _url_tail(meta.url) or "post"
    if meta.url:
        return f"url:{canonical_url(meta.url)}", _url_tail(meta.url) or "page"
    name = meta.slug or name_hint or meta.title or ""
    slug = slugify(name, 200)
    if not name.isascii():
        # "北京.txt", "서울.txt" and "Ünïcode.txt" slugify to "x", "x" and "unicode": the key keeps
        # the name itself (NFC, case folded), so they stay three articles (ids of ASCII names as before)
        return f"name:{source}:{unicodedata.normalize('NFC', name).casefold()}", slug
    return f"slug:{source}:{slug}", slug


def article_id(meta: Metadata, source: str, name_hint: str | None) -> str:
    """``<source-slug>/<readable-slug>-<hash of the key>``: stable across revisions, unique, a safe path."""
    key, readable = identity_key(meta, source, name_hint)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{slugify(source, 32)}/{slugify(readable)}-{digest}"


def _url_tail(url: str | None) -> str | None:
    if not url:
        return None
    tail = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return tail or None
