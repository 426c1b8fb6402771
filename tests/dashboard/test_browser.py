"""The dashboard in a real browser: `streamlit run` on localhost, driven by Playwright and Debian's chromium."""
from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
import zipfile
from urllib.parse import quote, unquote
from pathlib import Path

import pytest

from dashboard.filters import Filters
from dashboard_testdb import APP, ROOT, build_db, claim_id, expected_ids, gold_claims, gold_docs

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing on CI: `.ci/run` installs it with apt-get", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI installs it", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extras")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serve(db: Path) -> Iterator[str]:
    """`streamlit run dashboard/app.py` on a free port against `db`; yields its URL."""
    port = _free_port()
    env = {**os.environ, "INDICATORS_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"streamlit did not start:\n{proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(gold_db: Path):
    """The app against the gold database."""
    with _serve(gold_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def _chart_points(page) -> int:
    return page.locator("[data-testid='stVegaLiteChart'] svg g.mark-symbol path").count()


def _legend(page) -> list[str]:
    """The pairs in the chart's colour legend (the shape legend lists modalities)."""
    labels = page.locator("[data-testid='stVegaLiteChart'] svg g.role-legend-label text").all_text_contents()
    return [x for x in labels if "–" in x or "→" in x]


def _wait_idle(page) -> None:
    """Streamlit shows a 'running' indicator while the script runs; wait until a rerun has finished."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000,
    )
    page.wait_for_timeout(500)


def test_page_filter_chart_point_csv_and_row_in_a_browser(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1500, "height": 1300}, accept_downloads=True)
    page.goto(f"{server}/explorer", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stVegaLiteChart'] svg g.mark-symbol path", timeout=60_000)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    _wait_idle(page)

    # the page: a chart with points and a legend, a table, the headline tiles
    points_all, legend_all = _chart_points(page), _legend(page)
    assert points_all > 10 and "KGZ–RUS" in legend_all
    assert page.get_by_text("Latest actual").is_visible()
    assert page.get_by_text(f"Showing {len(expected_ids(Filters()))} of").is_visible()

    # a filter changes the chart (and the URL)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    box.click()
    page.keyboard.type("KGZ")
    page.keyboard.press("Enter")
    page.wait_for_url("**country=KGZ**", timeout=30_000)
    _wait_idle(page)
    want = expected_ids(Filters(country="KGZ"))
    page.get_by_text(f"Showing {len(want)} of {len(want)} figures.").wait_for(timeout=30_000)
    legend_kgz = _legend(page)
    assert legend_kgz != legend_all and all("KGZ" in label for label in legend_kgz)
    assert _chart_points(page) < points_all

    # clicking a point of the chart shows the sentence that states it
    point = page.locator("[data-testid='stVegaLiteChart'] svg g.mark-symbol path").first
    pb = point.bounding_box()
    assert pb is not None
    page.mouse.click(pb["x"] + pb["width"] / 2, pb["y"] + pb["height"] / 2)
    page.locator("mark.bi-sel").first.wait_for(timeout=30_000)
    _wait_idle(page)
    assert "claim=" in page.url

    # the CSV downloads exactly the filtered rows
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    assert info.value.suggested_filename == "claims_KGZ.csv"  # named after the filters
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["claim_id"] for r in rows} == want

    # selecting a row of the table shows its sentence with the figure highlighted
    grid = page.locator("[data-testid='stDataFrame'] [data-testid='data-grid-canvas']").first
    grid.scroll_into_view_if_needed()
    bb = grid.bounding_box()
    assert bb is not None
    page.mouse.click(bb["x"] + 14, bb["y"] + 35 + 17)  # the row marker of the first row
    first = rows[0]
    page.wait_for_url(f"**claim={quote(first['claim_id'], safe='')}**", timeout=30_000)
    mark = page.locator("mark.bi-sel").first
    page.wait_for_function(
        "t => document.querySelector('mark.bi-sel') && document.querySelector('mark.bi-sel').innerText.trim() === t",
        arg=first["As written"], timeout=30_000,
    )
    assert mark.inner_text().strip() == first["As written"]

    # the whole page as a user sees it, selection included (Streamlit scrolls inside its main pane,
    # so a tall viewport rather than full_page)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    page.set_viewport_size({"width": 1500, "height": 2000})
    page.locator("[data-testid='stMain']").evaluate("el => el.scrollTo(0, 0)")
    page.wait_for_timeout(800)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
    page.close()


# ---------------------------------------------------------------- the page's state as a browser keeps it


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1300}, accept_downloads=True)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    _wait_idle(page)
    return page


def _wait_location(page, want: str) -> None:
    """Wait for the address itself: Back and Forward change it without loading a page, and the browser
    applies a run's address after drawing the run's elements."""
    page.wait_for_function("w => (location.pathname + location.search).endsWith(w)", arg=want, timeout=30_000)


def _query(page) -> str:
    return page.url.partition("?")[2]


def _box(page, label: str) -> str:
    """What a select box shows (its input's text), as the user reads it."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def _chips(page, label: str) -> list[str]:
    """The values a multiselect shows."""
    box = page.locator("[data-testid='stMultiSelect']").filter(has=page.get_by_role("combobox", name=label, exact=True))
    return [x.strip() for x in box.locator("[data-testid='stMultiSelectTagsContainer'] [data-tag] > span[title]").all_inner_texts()]


def _series(page) -> str:
    return page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").first.input_value()


def _pick_country(page, code: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    _wait_idle(page)


def _showing(page) -> str:
    return page.locator("[data-testid='stCaptionContainer']").filter(has_text="Showing").first.inner_text()


def test_reset_clears_what_the_sidebar_shows(server, browser):
    page = _open(browser, f"{server}/explorer?country=KGZ&indicator=trade_turnover")
    assert _box(page, "Country") == "KGZ · Kyrgyzstan"
    assert _chips(page, "Indicators") == ["Trade turnover"]
    page.get_by_role("button", name="Reset filters").click()
    _wait_idle(page)
    assert _box(page, "Country") == "" and _chips(page, "Indicators") == []
    assert _query(page) == ""
    # the same country picked again filters again (the box had kept it, so picking it changed nothing)
    _pick_country(page, "KGZ")
    want = expected_ids(Filters(country="KGZ"))
    page.get_by_text(f"Showing {len(want)} of {len(want)} figures.").wait_for(timeout=30_000)
    assert "country=KGZ" in _query(page)
    # a later change (the language) does not bring the reset filters back
    page.get_by_role("button", name="Reset filters").click()
    _wait_idle(page)
    page.locator("[data-testid='stSidebar'] button", has_text="Русский").click()
    _wait_idle(page)
    # the browser applies the address after drawing the run's elements: seconds on a loaded machine
    _wait_location(page, "/explorer?lang=ru")
    assert _query(page) == "lang=ru" and _box(page, "Страна") == "" and _chips(page, "Показатели") == []


def test_option_labels_follow_the_counts_and_the_language(server, browser):
    page = _open(browser, f"{server}/explorer")
    assert _series(page).startswith("Trade turnover · level · USD (")
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first
    box.click()
    page.get_by_role("option").nth(2).click()
    _wait_idle(page)
    picked = _series(page)
    assert picked.startswith("Aid · level · t (")
    _pick_country(page, "KAZ")
    n_aid = len(expected_ids(Filters(country="KAZ", indicators=("aid",))))
    assert _series(page) == f"Aid · level · t ({n_aid})", "the label counts what the filters now select"
    assert "series=aid.level.t" in _query(page), "the picked series stays picked"
    page.locator("[data-testid='stSidebar'] button", has_text="Русский").click()
    _wait_idle(page)
    assert _box(page, "Страна") == "KAZ · Казахстан"
    assert _series(page) == f"Помощь · уровень · t ({n_aid})"
    _pick_country(page, "KGZ")
    assert _box(page, "Страна") == "KGZ · Кыргызстан"
    assert _series(page).startswith("Помощь · уровень · t (")


def test_back_and_forward_walk_the_views_one_change_at_a_time(server, browser):
    page = _open(browser, f"{server}/explorer")
    start = page.url
    assert _query(page) == "", "the page as opened is no history entry of its own"
    _pick_country(page, "KAZ")
    page.get_by_role("combobox", name="Indicators", exact=True).click()
    page.keyboard.type("Trade turnover")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _wait_idle(page)
    page.locator("[data-testid='stSidebar'] button", has_text="Русский").click()
    _wait_idle(page)
    _pick_country(page, "KGZ")
    views = [
        ("", "", []),
        ("country=KAZ", "KAZ · Kazakhstan", []),
        ("country=KAZ&indicator=trade_turnover", "KAZ · Kazakhstan", ["Trade turnover"]),
        ("lang=ru&country=KAZ&indicator=trade_turnover", "KAZ · Казахстан", ["Товарооборот"]),
        ("lang=ru&country=KGZ&indicator=trade_turnover", "KGZ · Кыргызстан", ["Товарооборот"]),
    ]

    def check(i: int) -> None:
        query, country, indicators = views[i]
        assert _query(page) == query, i
        ru = query.startswith("lang=ru")
        assert _box(page, "Страна" if ru else "Country") == country, i
        assert _chips(page, "Показатели" if ru else "Indicators") == indicators, i

    check(4)
    for i in (3, 2, 1, 0):
        page.go_back()
        _wait_idle(page)
        check(i)
    assert page.url == start
    for i in (1, 2, 3):
        page.go_forward()
        _wait_idle(page)
        check(i)
    # a change after going back starts a new branch of history, as on any web page
    _pick_country(page, "UZB")
    assert _query(page) == "lang=ru&country=UZB&indicator=trade_turnover"
    page.go_back()
    _wait_idle(page)
    check(3)
    page.close()


def test_a_filter_change_right_after_an_ingest_publishes_is_kept(browser, tmp_path):
    """An ingest replaces the store file while the page is open; the change made next must land (the run
    reopens the database, and the slider's range and the options move with the new data)."""
    claims = gold_claims()
    versions = [claims[:60], claims]  # the smaller one has fewer years, pairs and countries
    live = build_db(tmp_path / "live.duckdb", gold_docs(), versions[0])
    with _serve(live) as url:
        page = _open(browser, f"{url}/explorer")
        for i, code in enumerate(["KGZ", "KAZ", "UZB", "TJK", "RUS", "KGZ", "KAZ"]):
            newer = build_db(tmp_path / f"v{i}.duckdb", gold_docs(), versions[(i + 1) % 2])
            os.replace(newer, live)
            _pick_country(page, code)
            want = {claim_id(c) for c in versions[(i + 1) % 2] if code in c["countries"]}
            page.get_by_text(f"Showing {len(want)} of {len(want)} figures.").wait_for(timeout=30_000)
            assert _box(page, "Country").startswith(code), i
            # the address comes after the run's elements are drawn (seconds on a loaded machine)
            page.wait_for_function("c => location.search.startsWith('?country=' + c)", arg=code, timeout=30_000)
            assert _query(page).startswith(f"country={code}"), i
        page.close()


def test_a_click_on_any_cell_opens_its_source_and_a_short_table_is_short(server, browser):
    page = _open(browser, f"{server}/explorer?pair=KAZ-TJK")
    want = expected_ids(Filters(pairs=(("KAZ", "TJK"),)))
    assert 1 <= len(want) <= 3
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    bb = grid.bounding_box()
    assert bb is not None and bb["height"] <= 35 * (len(want) + 1) + 12, "no empty grid below the rows"
    # the middle of the first row, well away from its checkbox
    page.mouse.click(bb["x"] + bb["width"] / 2, bb["y"] + 35 + 17)
    page.locator("mark.bi-sel").first.wait_for(timeout=30_000)
    _wait_idle(page)
    assert "claim=" in page.url
    page.close()


# ---------------------------------------------------------------- the pages


def test_overview_to_a_pair_to_a_figure_and_back(server, browser):
    """Open a pair page from the overview, click a point, reach its sentence; Back returns to the pair,
    and again to the overview with its filter."""
    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.goto(f"{server}/?country=KGZ", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    _wait_idle(page)
    assert _box(page, "Country") == "KGZ · Kyrgyzstan"
    grid = page.locator("[data-testid='stDataFrame']").first
    bb = grid.bounding_box()
    assert bb is not None
    page.mouse.click(bb["x"] + bb["width"] / 3, bb["y"] + 35 + 17)  # the first row: the most active pair
    page.wait_for_url("**/pair?pair=**", timeout=30_000)
    pair = page.url.partition("pair=")[2]
    assert "KGZ" in pair
    points = page.locator("[data-testid='stVegaLiteChart'] svg g.mark-symbol path")
    points.first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_text("Latest actual turnover").is_visible()
    pb = points.first.bounding_box()
    assert pb is not None
    page.mouse.click(pb["x"] + pb["width"] / 2, pb["y"] + pb["height"] / 2)
    page.wait_for_url("**/claim?claim=**", timeout=30_000)
    page.locator("mark.bi-sel").first.wait_for(timeout=30_000)
    _wait_idle(page)
    cid = unquote(page.url.partition("claim=")[2])
    assert cid.split(":")[0] in {c["doc_id"] for c in gold_claims()}
    assert "/claim?claim=" in page.locator("[data-testid='stCode']").first.inner_text()  # the permalink
    page.go_back()
    _wait_location(page, f"/pair?pair={pair}")
    _wait_idle(page)
    page.go_back()
    _wait_location(page, "/?country=KGZ")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
    _wait_idle(page)
    assert _box(page, "Country") == "KGZ · Kyrgyzstan", "the overview keeps its filter"
    page.close()


def test_the_zip_download_holds_the_csv_and_a_readme_naming_the_filters(server, browser, tmp_path):
    page = _open(browser, f"{server}/explorer?country=KGZ&indicator=trade_turnover")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="ZIP").click()
    assert info.value.suggested_filename == "claims_KGZ_trade_turnover.zip"
    path = tmp_path / "view.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        readme = z.read("README.md").decode()
        rows = list(csv.DictReader(io.StringIO(z.read("claims_KGZ_trade_turnover.csv").decode("utf-8-sig"))))
    assert names == {"claims_KGZ_trade_turnover.csv", "README.md"}
    assert "country: Kyrgyzstan" in readme and "indicators: trade turnover" in readme
    assert "/explorer?country=KGZ&indicator=trade_turnover" in readme
    assert {r["claim_id"] for r in rows} == expected_ids(Filters(country="KGZ", indicators=("trade_turnover",)))
    page.close()


# ---------------------------------------------------------------- diplomacy and official statistics


def test_a_pair_page_event_click_reaches_its_sentence(server, browser):
    """The pair page's timeline: clicking an event's mark shows its sentence with the event marked, and
    its article."""
    from dashboard_testdb import gold_events

    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.goto(f"{server}/pair?pair=KGZ-RUS", wait_until="domcontentloaded")
    page.get_by_text("Diplomacy", exact=True).wait_for(timeout=60_000)
    _wait_idle(page)
    timeline = page.locator("[data-testid='stVegaLiteChart']").last  # the timeline follows the figures' charts
    timeline.scroll_into_view_if_needed()
    marks = timeline.locator("svg g.mark-symbol.role-mark path")  # not the legends' symbols
    marks.first.wait_for(timeout=30_000)
    assert marks.count() == len([e for e in gold_events() if sorted(e["countries"]) == ["KGZ", "RUS"]])
    pb = marks.first.bounding_box()
    assert pb is not None
    page.mouse.click(pb["x"] + pb["width"] / 2, pb["y"] + pb["height"] / 2)
    page.locator("mark.bi-sel").first.wait_for(timeout=30_000)
    _wait_idle(page)
    marked = page.locator("mark.bi-sel").first.inner_text().strip()
    texts = {e["text"]: e for e in gold_events() if sorted(e["countries"]) == ["KGZ", "RUS"]}
    assert marked in texts, marked
    sentence = page.locator("mark.bi-sel").first.locator("xpath=..").inner_text()
    assert " ".join(sentence.split()) == " ".join(texts[marked]["sentence"].split())
    assert page.get_by_text("Outlet:").first.is_visible()
    page.close()


def test_the_events_explorer_row_click_reaches_the_sentence_and_the_events_page(server, browser):
    """The explorer's events view, filtered by type: a click on a row of the events table shows the
    event's sentence with its words marked (and names it in the URL); its link opens the event's own page,
    whose permalink names it and whose sentence is marked."""
    from dashboard_testdb import event_id, gold_events

    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.goto(f"{server}/explorer?what=events&pair=KGZ-RUS&type=visit&type=talks", wait_until="domcontentloaded")
    grid = page.locator(".st-key-e_table [data-testid='stDataFrame']")  # not the yearly counts' (folded)
    grid.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_text("Filtered — pairs: Kyrgyzstan – Russia; event types: visit, talks.").is_visible()
    want = {event_id(e): e for e in gold_events()
            if sorted(e["countries"]) == ["KGZ", "RUS"] and e["type"] in ("visit", "talks")}
    page.get_by_text(f"Showing {len(want)} of {len(want)} events.").wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    bb = grid.bounding_box()
    assert bb is not None
    page.mouse.click(bb["x"] + bb["width"] / 2, bb["y"] + 35 + 17)  # the middle of the first row
    page.wait_for_url("**event=**", timeout=30_000)
    page.locator("mark.bi-sel").first.wait_for(timeout=30_000)
    _wait_idle(page)
    eid = unquote(page.url.partition("event=")[2].partition("&")[0])
    assert eid in want, eid
    e = want[eid]
    assert page.locator("mark.bi-sel").first.inner_text().strip() == e["text"]
    sentence = page.locator("mark.bi-sel").first.locator("xpath=..").inner_text()
    assert " ".join(sentence.split()) == " ".join(e["sentence"].split())

    page.get_by_role("link", name="This event's page").click()
    page.wait_for_url("**/event?event=**", timeout=30_000)
    page.locator("mark.bi-sel").first.wait_for(timeout=30_000)
    _wait_idle(page)
    assert unquote(page.url.partition("event=")[2]) == eid
    permalink = page.locator("[data-testid='stCode']").first.inner_text()
    assert f"/event?event={quote(eid, safe='')}" in permalink
    assert page.locator("mark.bi-sel").first.inner_text().strip() == e["text"]
    assert page.get_by_text("Other events of the same pair").is_visible()
    page.close()


@pytest.fixture(scope="module")
def official_server(tmp_path_factory: pytest.TempPathFactory):
    """The app against the gold database with the official statistics fixtures imported."""
    from dashboard_testdb import gold_events, import_official

    db = tmp_path_factory.mktemp("official") / "indicators.duckdb"
    import_official(build_db(db, gold_docs(), gold_claims(), events=gold_events()))
    with _serve(db) as url:
        yield url


def test_official_line_beside_the_news_series_and_a_claims_gap(official_server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.goto(f"{official_server}/pair?pair=KGZ-RUS", wait_until="domcontentloaded")
    chart = page.locator("[data-testid='stVegaLiteChart']").first  # turnover
    chart.locator("svg g.mark-symbol path").first.wait_for(timeout=60_000)
    _wait_idle(page)
    # the news: the statements' points and the yearly line; the official: a dashed line named in the legend
    assert chart.locator("svg g.mark-symbol path").count() >= 1
    lines = chart.locator("svg g.mark-line path")
    assert lines.count() >= 2
    dashes = [lines.nth(i).get_attribute("stroke-dasharray") for i in range(lines.count())]
    assert any(d for d in dashes) and any(not d for d in dashes), dashes
    legend = chart.locator("svg g.role-legend-label text").all_text_contents()
    assert "KGZ's report (official)" in legend
    assert page.get_by_text("Official statistics: wits_kgz.csv.").first.is_visible()

    c = next(c for c in gold_claims() if sorted(c["countries"]) == ["KGZ", "RUS"] and c["unit"] == "USD"
             and c["indicator"] == "trade_turnover" and c["period"] in ("2021", "2022", "2023"))
    page.goto(f"{official_server}/claim?claim={quote(claim_id(c), safe='')}", wait_until="domcontentloaded")
    page.locator("mark.bi-sel").first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_text(f"Official statistics {c['period']}: vs KGZ's report:").is_visible()
    page.close()
