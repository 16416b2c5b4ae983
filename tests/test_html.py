"""The HTML pages in real headless Chromium (Debian's chromium and chromedriver, installed by `make test`).

Checked in the browser: the pages load from a file with no console error and no network request, the
filter and the search narrow the claim matrix, a planted ``<script>`` (and an ``onerror`` attribute and a
``javascript:`` URL) shows as text and never runs, the controls are reachable by keyboard. Screenshots of
both pages are written to ``build/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff import api
from provdiff.cli import app
from provdiff.model import Format, Metadata
from provdiff.store import Corpus
from tests.conftest import ROOT

runner = CliRunner()
SCREENSHOTS = ROOT / "build" / "screenshots"
HOSTILE = (
    "Injected <script>window.__pwned = 1</script> story\n\n"
    'Officials said <script>window.__pwned = 2</script> the port <img src="x" onerror="window.__pwned = 3"> '
    "reopened on Monday after repairs to the northern pier cost $2.5 million.\n\n"
    'Click <a href="javascript:window.__pwned = 4">here</a> for more.\n'
)


def _driver_paths() -> tuple[str, str] | None:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    paths = _driver_paths()
    if paths is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the browser tests: make test installs Debian's chromium and chromium-driver"
            )
        pytest.skip("chromium and chromedriver are not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1600"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def pages(sample_corpus: Corpus, tmp_path: Path) -> dict[str, Path]:
    """The report and a diff of the sample corpus plus a hostile article, written as files."""
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    meta = Metadata(source="hostile<b>", url="javascript:window.__pwned = 5", published="2025-03-01")
    api.ingest(sample_corpus, api.collect_inputs([str(path)], None, meta, Format.TEXT, None))
    return _written(sample_corpus, tmp_path, "hostile", "002")


def _written(corpus: Corpus, folder: Path, left: str, right: str) -> dict[str, Path]:
    """The corpus report and the diff of ``left`` and ``right``, as HTML files in ``folder``."""
    root = str(corpus.root)
    report, diff = folder / "report.html", folder / "diff.html"
    made = runner.invoke(app, ["report", "--corpus", root, "-f", "html", "-o", str(report)])
    assert made.exit_code == 0, made.output
    compared = runner.invoke(app, ["diff", "--corpus", root, left, right, "-f", "html", "-o", str(diff)])
    assert compared.exit_code == 1, compared.output
    return {"report": report, "diff": diff}


def _load(driver: object, page: Path) -> tuple[list[str], list[str]]:
    """Open ``page``; return (console messages, URLs the page requested)."""
    driver.get(page.as_uri())  # type: ignore[attr-defined]
    console = [entry["message"] for entry in driver.get_log("browser")]  # type: ignore[attr-defined]
    requested = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    return console, requested


def _shoot(driver: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(SCREENSHOTS / name))  # type: ignore[attr-defined]


def test_report_page_loads_offline_filters_and_never_runs_article_code(
    browser: object, pages: dict[str, Path]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    console, requested = _load(browser, pages["report"])
    assert console == []
    assert requested == [pages["report"].as_uri()]  # the page itself, nothing else
    run = browser.execute_script  # type: ignore[attr-defined]
    assert run("return typeof window.__pwned") == "undefined"
    body = browser.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert "<script>window.__pwned = 2</script>" in body  # shown as text
    assert 'onerror="window.__pwned = 3"' in body
    assert run("return document.querySelectorAll('img, iframe, a[href^=javascript]').length") == 0
    _shoot(browser, "report.png")

    def visible() -> int:
        return int(run("return document.querySelectorAll('#matrix tbody tr:not([hidden])').length"))

    everything = visible()
    assert everything > 10
    Select(browser.find_element(By.ID, "status")).select_by_value("recurs")  # type: ignore[attr-defined]
    recurring = visible()
    assert 0 < recurring < everything
    rows = "document.querySelectorAll('#matrix tbody tr:not([hidden])')"
    statuses = run(f"return Array.from({rows}, r => r.dataset.status)")
    assert all("recurs" in status.split() for status in statuses)
    assert browser.find_element(By.ID, "shown").text == str(recurring)  # type: ignore[attr-defined]
    Select(browser.find_element(By.ID, "status")).select_by_value("")  # type: ignore[attr-defined]
    search = browser.find_element(By.ID, "search")  # type: ignore[attr-defined]
    search.send_keys("Munich Security")
    assert visible() == 1
    search.clear()
    search.send_keys(Keys.SPACE, Keys.BACK_SPACE)  # an input event with an empty box
    assert visible() == everything
    # keyboard: Tab walks the controls in order, then into the matrix's claim links
    run("document.getElementById('search').focus()")
    stops = []
    for _ in range(3):
        run("return 0")
        browser.switch_to.active_element.send_keys(Keys.TAB)  # type: ignore[attr-defined]
        stops.append(run("return document.activeElement.tagName + ':' + document.activeElement.id"))
    assert stops[:2] == ["SELECT:status", "SELECT:source"]
    assert stops[2].startswith("A:")


def test_diff_page_loads_offline_and_links_moves(browser: object, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    console, requested = _load(browser, pages["diff"])
    assert console == []
    assert requested == [pages["diff"].as_uri()]
    run = browser.execute_script  # type: ignore[attr-defined]
    assert run("return typeof window.__pwned") == "undefined"
    body = browser.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert "<script>window.__pwned = 2</script>" in body
    assert run("return document.querySelectorAll('script').length") == 0  # the diff page needs none
    legend = browser.find_element(By.CLASS_NAME, "legend").text  # type: ignore[attr-defined]
    for word in ("unchanged", "edited", "moved", "added", "deleted"):
        assert word in legend
    targets = run("return Array.from(document.querySelectorAll('#diff a[href^=\"#\"]'), a => a.hash)")
    assert all(run(f"return document.getElementById({target[1:]!r}) !== null") for target in targets)
    _shoot(browser, "diff.png")


def test_pages_escape_corpus_text_without_a_browser(pages: dict[str, Path]) -> None:
    """The same guarantee checked on the markup itself (runs where no browser is installed)."""
    for page in pages.values():
        markup = page.read_text(encoding="utf-8")
        assert "<script>window" not in markup
        assert "&lt;script&gt;window.__pwned = 2&lt;/script&gt;" in markup
        assert 'href="javascript' not in markup
        assert "<img" not in markup
        assert "Content-Security-Policy" in markup and "default-src 'none'" in markup
        assert "base-uri 'none'" in markup and "form-action 'none'" in markup  # defaults do not cover these
    assert markup.count("<script") == 0  # the diff page needs no script
    assert pages["report"].read_text(encoding="utf-8").count("<script>") == 1  # only the filter


KOREAN = (
    "한미 정상회담\n\n"
    "이재명 대통령은 25일 워싱턴에서 트럼프 대통령과 정상회담을 했다. "
    "한국은 미국에 3500억 달러를 투자하기로 했다.\n\n"
    "The White House said the talks were productive and that both sides would meet again in the autumn.\n\n"
    "정부는 세부 내용을 다음 주에 발표할 예정이다.\n"
)
JAPANESE = (
    "日米首脳会談\n\n石破首相は7日、ワシントンでトランプ大統領と会談した。"
    "日本は米国に5500億ドルを投資すると表明した。\n"
)


@pytest.fixture
def asian_pages(sample_corpus: Corpus, tmp_path: Path) -> dict[str, Path]:
    """The report and a Korean-Japanese diff of the sample corpus plus two East Asian articles."""
    for name, text in (("seoul.txt", KOREAN), ("tokyo.txt", JAPANESE)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        meta = Metadata(source=name.split(".")[0] + "-daily", published="2025-08-26")
        api.ingest(sample_corpus, api.collect_inputs([str(path)], None, meta, Format.TEXT, None))
    return _written(sample_corpus, tmp_path, "seoul", "tokyo")


def test_pages_mark_each_text_with_its_language(asian_pages: dict[str, Path]) -> None:
    """An article's section, a paragraph in another language, a claim in the matrix and each side
    of a diff carry their own ``lang``; the page's English chrome keeps ``en``."""
    report = asian_pages["report"].read_text(encoding="utf-8")
    assert '<html lang="en">' in report
    sections = {
        name.split("_")[0]: (attributes, body)
        for name, attributes, body in re.findall(
            r'<section class="article" id="art-([^"]*)"([^>]*)>(.*?)</section>', report
        )
    }
    assert sections["seoul-daily"][0] == ' lang="ko"' and sections["tokyo-daily"][0] == ' lang="ja"'
    assert sections["koreapro"][0] == ' lang="en"'
    korean = sections["seoul-daily"][1]
    assert korean.count('<p lang="en">') == 1 and "The White House said" in korean.split('<p lang="en">')[1]
    assert "<p lang" not in sections["tokyo-daily"][1] and "<p lang" not in sections["koreapro"][1]
    assert 'lang="ko">한국은 미국에 3500억 달러를' in report  # a claim of the matrix or the timeline
    diff = asian_pages["diff"].read_text(encoding="utf-8")
    assert 'lang="ko"><span class="muted">A' in diff and 'lang="ja"><span class="muted">B' in diff


@pytest.mark.usefixtures("asian_pages")  # the two East Asian articles in the sample corpus
def test_claims_json_and_terminal_keep_the_script(sample_corpus: Corpus) -> None:
    """Korean claims reach JSON as UTF-8 text (no ``\\u`` escapes) and the terminal as written."""
    root = str(sample_corpus.root)
    listed = runner.invoke(app, ["claims", "--corpus", root, "-f", "json"])
    assert listed.exit_code == 0, listed.output
    assert "한국은 미국에 3500억 달러를 투자하기로 했다." in listed.stdout and "\\u" not in listed.stdout
    shown = runner.invoke(app, ["claims", "--corpus", root, "--source", "tokyo-daily"])
    assert shown.exit_code == 0, shown.output
    assert "日本は米国に5500億ドルを投資すると表明した。" in shown.stdout


def test_cjk_claims_render_in_a_cjk_font(browser: object, asian_pages: dict[str, Path]) -> None:
    """Chromium draws the Korean and Japanese claims with a font that holds their glyphs (the
    CJK font ``make test`` installs), not as empty boxes; each platform font Chromium reports for
    the node's text is checked through the DevTools protocol."""
    console, _ = _load(browser, asian_pages["report"])
    assert console == []
    cdp = browser.execute_cdp_cmd  # type: ignore[attr-defined]
    cdp("DOM.enable", {})
    cdp("CSS.enable", {})
    root = cdp("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    for lang, word in (("ko", "투자"), ("ja", "投資")):
        claim = browser.execute_script(  # type: ignore[attr-defined]
            f"return Array.from(document.querySelectorAll('section[lang={lang}] .claim'))"
            f".find(c => c.textContent.includes({word!r})).id"
        )
        node = cdp("DOM.querySelector", {"nodeId": root, "selector": f"#{claim}"})["nodeId"]
        assert node, claim
        fonts = cdp("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = {font["familyName"] for font in fonts}
        assert fonts and all(font["glyphCount"] > 0 for font in fonts), fonts
        text = browser.execute_script(f"return document.getElementById({claim!r}).textContent")  # type: ignore[attr-defined]
        wide = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3")
        cjk = sum(font["glyphCount"] for font in fonts if not font["familyName"].startswith("DejaVu"))
        assert wide >= 10 and cjk >= wide, (
            families,
            wide,
        )  # every Han, kana and Hangul glyph from a CJK face
    _shoot(browser, "report-cjk.png")
