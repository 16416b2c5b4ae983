"""ECB+ (../shared/data/ecbplus-dev) as news articles: text rebuilt from the CAT XML tokens.

Each document becomes a plain-text article: its sentences joined with the tokenizer's spaces removed
before punctuation, the URL line (ECB+ documents open with their address, ECB ones do not) taken out
and kept as the article's URL, its host giving the outlet. Gold story = (topic, ecb | ecbplus).
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"
_GLUE_LEFT = re.compile(r" ([.,;:!?%)\]}'’”]|n't|'s|'re|'ll|'ve|'d|'m)")
_HYPHEN = re.compile(r"(\w) - (?=\w)")
_GLUE_RIGHT = re.compile(r"([(\[{$“‘]) ")
_FILE = re.compile(r"(?P<topic>\d+)_(?P<number>\d+)(?P<kind>ecbplus|ecb)\.xml$")


@dataclass(frozen=True)
class Document:
    name: str
    story: str  # "3/ecbplus"
    outlet: str
    url: str | None
    title: str
    text: str


def _detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens).replace("``", "“").replace("''", "”")
    text = _GLUE_RIGHT.sub(r"\1", _GLUE_LEFT.sub(r"\1", text))
    return _HYPHEN.sub(r"\1-", text)


def load(data: Path = DEFAULT_DATA) -> list[Document]:
    """Every document of the data set, in file-name order."""
    out = []
    for path in sorted((data / "ECB+").glob("*/*.xml")):
        match = _FILE.search(path.name)
        if match is None:
            continue
        sentences: dict[int, list[str]] = {}
        for token in ET.parse(path).getroot().iter("token"):
            sentences.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
        lines = [_detokenize(sentences[k]) for k in sorted(sentences)]
        url = None
        if lines and lines[0].startswith("http"):
            url = lines.pop(0).replace(" ", "")
        outlet = (urlsplit(url).hostname or "unknown") if url else "unknown"
        outlet = outlet.removeprefix("www.")
        title, body = (lines[0], lines[1:]) if lines else (path.stem, [])
        out.append(
            Document(
                name=path.stem,
                story=f"{match['topic']}/{match['kind']}",
                outlet=outlet,
                url=url,
                title=title,
                text=title + "\n\n" + "\n\n".join(body) + "\n",
            )
        )
    return out


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ingest(documents: list[Document], scratch: Path) -> Path:
    """A new corpus under ``scratch`` holding every document (one batch, outlet as source, file name
    as native id: ECB documents have no URL, and two of one outlet may share a title)."""
    files = scratch / "articles"
    files.mkdir()
    entries = []
    for doc in documents:
        (files / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
        entry = [f"[[article]]\nfile = {_toml(doc.name + '.txt')}\nid = {_toml(doc.name)}"]
        entry.append(f"source = {_toml(doc.outlet)}")
        if doc.url:
            entry.append(f"url = {_toml(doc.url)}")
        entries.append("\n".join(entry))
    (files / "manifest.toml").write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    provdiff = str(Path(sys.executable).parent / "provdiff")
    corpus = scratch / "corpus"
    for args in (("init", str(corpus)), ("ingest", "--corpus", str(corpus), str(files))):
        subprocess.run([provdiff, *args], check=True, capture_output=True)
    return corpus
