"""Self-contained HTML pages: the side-by-side diff and the corpus report.

One file each, no network: styles and the one script are inline, and a Content-Security-Policy in
the page allows only that script (by its sha256) and nothing to load from anywhere. Everything that
comes from the corpus (article text, titles, sources, URLs) is escaped with ``html.escape``; the CSP
is the second wall, so a ``<script>`` in an article shows as text and could not run even if a value
slipped through unescaped. Classes carry a symbol as well as a colour (readable without colour and in
print), controls are plain form elements and links (keyboard reachable), and a print stylesheet drops
the controls.

Every piece of corpus text carries its language in a ``lang`` attribute (the article's, a
paragraph's where it differs, a claim's own where it says so clearly), so a browser picks the glyphs
of that language (one Han character is drawn differently in Japanese, Korean and Chinese type) and
a screen reader reads each claim in its own voice. The font stacks name the CJK families of each
platform before the generic one, so a page of Korean and Japanese claims needs no web font (none
could load under the CSP).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Sequence
from typing import Any

from provdiff.audit import SourceAudit
from provdiff.model import Alignment, Article, Claim, ClaimGroup, GroupStatus, Link, LinkKind
from provdiff.report.audit import DISCLAIMER, SECTIONS
from provdiff.report.diff import SYMBOLS, display_order, segments, summary, thresholds_line, unit_label
from provdiff.segment import sentences
from provdiff.segment.language import article_language, confident, paragraph_languages

STATUS_SYMBOL = {GroupStatus.RECURS: "R", GroupStatus.VARIES: "V", GroupStatus.UNIQUE: "U"}

_STYLE = """
:root { --add: #d7f5dd; --del: #fbd9d9; --edit: #fff2c2; --move: #d9ecfb; --ink: #1b1b1b; }
body { font: 15px/1.45 system-ui, "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); margin: 1.5rem; max-width: 110rem; }
:lang(ja) { font-family: system-ui, "Noto Sans CJK JP", "Source Han Sans JP", "Hiragino Sans", "Yu Gothic",
  "Meiryo", "WenQuanYi Micro Hei", sans-serif; }
:lang(ko) { font-family: system-ui, "Noto Sans CJK KR", "Source Han Sans KR", "Apple SD Gothic Neo",
  "Malgun Gothic", "NanumGothic", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #f1f1f1; }
.sym { font-family: ui-monospace, monospace; font-weight: bold; white-space: nowrap; }
.added { background: var(--add); } .deleted { background: var(--del); }
.edited, .split, .merged, .varies { background: var(--edit); }
.moved, .moved-edited { background: var(--move); }
.recurs { background: var(--add); } .unique { background: #eee; } .conflict { outline: 2px solid #b00; }
ins { background: var(--add); text-decoration: underline; } del { background: var(--del); }
.legend span { margin-right: 1rem; white-space: nowrap; }
.muted { color: #555; } .controls { margin: .8rem 0; } .controls > * { margin-right: 1rem; }
a:focus, input:focus, select:focus { outline: 3px solid #1a5fb4; }
.timeline li { margin: .2rem 0; }
.article p { margin: .4rem 0; } .article .claim:target { background: #ffe58a; }
@media print { .controls { display: none; } body { margin: 0; font-size: 11px; } a { color: inherit; } }
"""

_SCRIPT = """
(function () {
  var search = document.getElementById('search');
  var status = document.getElementById('status');
  var source = document.getElementById('source');
  var count = document.getElementById('shown');
  function apply() {
    var text = search.value.toLowerCase(), want = status.value, from = source.value, shown = 0;
    var rows = document.querySelectorAll('#matrix tbody tr');
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!text || row.textContent.toLowerCase().indexOf(text) >= 0)
        && (!want || (' ' + row.getAttribute('data-status') + ' ').indexOf(' ' + want + ' ') >= 0)
        && (!from || (' ' + row.getAttribute('data-sources') + ' ').indexOf(' ' + from + ' ') >= 0);
      row.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = String(shown);
  }
  search.addEventListener('input', apply);
  status.addEventListener('change', apply);
  source.addEventListener('change', apply);
  apply();
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lang(code: str | None) -> str:
    """A ``lang`` attribute for ``code``, or nothing where the language is unknown (the page's own
    ``en`` is then inherited, as a reader would assume)."""
    return f' lang="{_e(code)}"' if code else ""


def _slug(text: str) -> str:
    """An id-safe form of a claim or article id (letters, digits, ``-``; anything else as ``_``)."""
    return re.sub(r"[^A-Za-z0-9-]", "_", text)


def _page(title: str, body: list[str], script: str = "") -> str:
    """The page around ``body``: inline style, the CSP allowing only ``script``."""
    # default-src does not cover base-uri and form-action: a planted <base> or <form> needs its own no
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    policy += "; base-uri 'none'; form-action 'none'"
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        policy += f"; script-src 'sha256-{digest}'"
    tail = f"<script>{script}</script>" if script else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
            *body,
            f"{tail}</body></html>",
        ]
    )


# -- the diff page ---------------------------------------------------------------------------------


def _side(alignment: Alignment, link: Link, side: str) -> str:
    """One cell's text: kept words plain, the side's own changes marked (``<del>`` A, ``<ins>`` B)."""
    units = link.a if side == "a" else link.b
    texts = alignment.a if side == "a" else alignment.b
    if not units:
        return ""
    if link.patch and not link.reason.startswith("claim"):
        mine, tag = ("-", "del") if side == "a" else ("+", "ins")
        parts = []
        for style, text in segments(alignment, link):
            if style == "":
                parts.append(_e(text))
            elif style == mine:
                parts.append(f"<{tag}>{_e(text)}</{tag}>")
        return "".join(parts)
    return " ".join(_e(texts[k]) for k in units)


def diff_html(alignment: Alignment, label_a: str, label_b: str) -> str:
    """The side-by-side diff: one row per link in reading order, A left and B right, word changes
    inline; a moved unit links to where it stood on the other side (and back)."""
    counts = summary(alignment)
    legend = " ".join(
        f'<span class="{kind.value}"><span class="sym">{_e(SYMBOLS[kind])}</span> {_e(kind.value)}</span>'
        for kind in LinkKind
    )
    langs_a, langs_b = paragraph_languages(alignment.a), paragraph_languages(alignment.b)
    rows = []
    for link in display_order(alignment):
        kind = link.kind.value
        moved = link.kind in (LinkKind.MOVED, LinkKind.MOVED_EDITED)
        where_a = ",".join(str(i + 1) for i in link.a) or "–"
        where_b = ",".join(str(j + 1) for j in link.b) or "–"
        to_b = f' <a href="#b{link.b[0] + 1}">moved to B{where_b}</a>' if moved else ""
        to_a = f' <a href="#a{link.a[0] + 1}">moved from A{where_a}</a>' if moved else ""
        rule = f"{link.edit.value}: {link.edit_rule}" if link.edit else ""
        anchor_a = f' id="a{link.a[0] + 1}"' if link.a else ""
        anchor_b = f' id="b{link.b[0] + 1}"' if link.b else ""
        anchor_a += _lang(langs_a[link.a[0]]) if link.a else ""
        anchor_b += _lang(langs_b[link.b[0]]) if link.b else ""
        rows.append(
            f'<tr class="{kind}"><td class="sym" title="{_e(kind)}">{_e(SYMBOLS[link.kind])}</td>'
            f'<td{anchor_a}><span class="muted">A{_e(where_a)}</span> '
            f"{_side(alignment, link, 'a')}{to_b}</td>"
            f'<td{anchor_b}><span class="muted">B{_e(where_b)}</span> '
            f"{_side(alignment, link, 'b')}{to_a}</td>"
            f'<td>{_e(unit_label(alignment, link))}<br><span class="muted">{_e(rule)}</span></td></tr>'
        )
    body = [
        f"<h1>provdiff diff: {_e(label_a)} → {_e(label_b)}</h1>",
        f'<p class="muted">{_e(thresholds_line(alignment))}</p>',
        "<p>" + ", ".join(f"{_e(k)} {n}" for k, n in counts.items() if n) + "</p>",
        f'<p class="legend">{legend}</p>',
        '<table id="diff"><thead><tr><th scope="col">class</th>'
        f'<th scope="col">A: {_e(label_a)}</th><th scope="col">B: {_e(label_b)}</th>'
        '<th scope="col">what changed</th></tr></thead><tbody>',
        *rows,
        "</tbody></table>",
    ]
    return _page(f"provdiff diff {label_a} -> {label_b}", body)


# -- the corpus report page --------------------------------------------------------------------------


def _claim_href(claim_id: str) -> str:
    return f"#c-{_slug(claim_id)}"


def report_html(
    groups: Sequence[ClaimGroup],
    articles: Sequence[Article],
    audit_rows: Sequence[SourceAudit],
    data: dict[str, Any],
) -> str:
    """The corpus report: claim x source matrix with filters and search, timeline of shared claims,
    the source audit, and every article's text with an anchor on each claim."""
    sources = sorted({claim.source for group in groups for claim in group.claims})
    status_options = "".join(
        f'<option value="{s}">{s}</option>' for s in ("recurs", "varies", "unique", "conflict")
    )
    source_options = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in sources)
    head = "".join(f'<th scope="col">{_e(s)}</th>' for s in sources)
    languages = {a.article_id: article_language(a.paragraphs, a.meta.lang) for a in articles}

    def lang(claim: Claim) -> str:
        return _lang(confident(claim.text) or languages.get(claim.article_id))

    rows = []
    for group in groups:
        tags = [group.status.value] + (["conflict"] if group.conflicts else [])
        by_source: dict[str, list[str]] = {}
        for claim in group.claims:
            by_source.setdefault(claim.source, []).append(claim.claim_id)
        cells = []
        for source in sources:
            ids = by_source.get(source, [])
            if not ids:
                cells.append("<td></td>")
                continue
            symbol = STATUS_SYMBOL[group.status] + ("!" if group.conflicts else "")
            links = " ".join(f'<a href="{_claim_href(i)}" title="{_e(i)}">{_e(symbol)}</a>' for i in ids)
            cells.append(f'<td class="{_e(group.status.value)}">{links}</td>')
        first = group.claims[0]
        detail = "; ".join(group.conflicts or group.variations)
        rows.append(
            f'<tr data-status="{_e(" ".join(tags))}" data-sources="{_e(" ".join(group.sources))}"'
            f' class="{"conflict" if group.conflicts else ""}">'
            f'<td><span class="sym">{_e(STATUS_SYMBOL[group.status])}{"!" if group.conflicts else ""}</span> '
            f'<a href="{_claim_href(first.claim_id)}"{lang(first)}>{_e(first.text)}</a>'
            f"{f'<br><span class=muted>{_e(detail)}</span>' if detail else ''}</td>{''.join(cells)}</tr>"
        )
    timeline = []
    for group in groups:
        if len(group.sources) < 2:
            continue
        steps = " → ".join(
            f'<a href="{_claim_href(c.claim_id)}">{_e(c.when[:10])} {_e(c.source)}</a>' for c in group.claims
        )
        timeline.append(
            f"<li><b>{_e(STATUS_SYMBOL[group.status])}</b> <span{lang(group.claims[0])}>"
            f"{_e(group.claims[0].text)}</span><br>{steps}</li>"
        )
    body = [
        "<h1>provdiff corpus report</h1>",
        f"<p>{data['articles']} articles from {data['sources']} sources; {data['claims']} claims; groups: "
        + ", ".join(f"{_e(k)} {v}" for k, v in data["groups"].items())
        + f"; conflicts {len(data['conflicts'])}.</p>",
        '<p class="legend"><span class="recurs"><b>R</b> recurs</span><span class="varies"><b>V</b> varies'
        '</span><span class="unique"><b>U</b> unique</span><span><b>!</b> conflict</span></p>',
        "<h2>Claims by source</h2>",
        '<div class="controls" role="search"><label>Search <input id="search" type="search"></label>'
        f'<label>Status <select id="status"><option value="">all</option>{status_options}</select></label>'
        f'<label>Source <select id="source"><option value="">all</option>{source_options}</select></label>'
        f'<span><span id="shown">{len(rows)}</span> of {len(rows)} claim groups</span></div>',
        f'<table id="matrix"><thead><tr><th scope="col">claim (first appearance)</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>",
        "<h2>Timeline of shared claims</h2>",
        f'<ol class="timeline">{"".join(timeline) or "<li>no claim is shared by two sources</li>"}</ol>',
        "<h2>Source audit</h2>",
        f'<p class="muted">{_e(DISCLAIMER)}</p>',
        *_audit_tables(audit_rows),
        "<h2>Articles</h2>",
        *(_article(article, groups) for article in articles),
    ]
    if data["warnings"]:
        body[4:4] = [
            "<h2>Metadata warnings</h2><ul>",
            *(f"<li>{_e(w)}</li>" for w in data["warnings"]),
            "</ul>",
        ]
    return _page("provdiff corpus report", body, _SCRIPT)


def _audit_tables(rows: Sequence[SourceAudit]) -> list[str]:
    out = []
    for title, columns in SECTIONS:
        head = "".join(f'<th scope="col">{_e(c.header)}</th>' for c in columns)
        body = "".join(
            f'<tr><th scope="row">{_e(row.source)}</th>'
            + "".join(f"<td>{_e(c.show(row))}</td>" for c in columns)
            + "</tr>"
            for row in rows
        )
        out.append(
            f'<h3>{_e(title)}</h3><table><thead><tr><th scope="col">source</th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    return out


def _article(article: Article, groups: Sequence[ClaimGroup]) -> str:
    """An article's text, each sentence an anchor (``#c-<claim id>``) marked with its group status."""
    status = {c.claim_id: g.status for g in groups for c in g.claims}
    revision = next((c.revision for g in groups for c in g.claims if c.article_id == article.article_id), 1)
    language = article_language(article.paragraphs, article.meta.lang)
    own = paragraph_languages(article.paragraphs, article.meta.lang)
    paragraphs = []
    for p, paragraph in enumerate(article.paragraphs):
        spans = []
        for s, sentence in enumerate(sentences(paragraph)):
            claim_id = f"{article.article_id}@{revision}#p{p + 1}s{s + 1}"
            mark = status.get(claim_id)
            css = f"claim {mark.value}" if mark else "claim"
            symbol = f'<span class="sym">{STATUS_SYMBOL[mark]}</span> ' if mark else ""
            spans.append(f'<span class="{css}" id="c-{_slug(claim_id)}">{symbol}{_e(sentence)}</span>')
        mark_lang = _lang(own[p]) if own[p] != language else ""
        paragraphs.append(f"<p{mark_lang}>" + " ".join(spans) + "</p>")
    meta = article.meta
    link = (
        f' <a href="{_e(meta.url)}">{_e(meta.url)}</a>'
        if meta.url and meta.url.startswith(("http://", "https://"))
        else ""
    )
    return (
        f'<section class="article" id="art-{_slug(article.article_id)}"{_lang(language)}>'
        f"<h3>{_e(meta.title or article.article_id)}</h3>"
        f'<p class="muted">{_e(article.article_id)} · {_e(meta.source)} · '
        f"{_e(meta.published or 'no date')}{link}</p>" + "".join(paragraphs) + "</section>"
    )
