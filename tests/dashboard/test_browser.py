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
from urllib.parse import quote
from pathlib import Path

import pytest

from dashboard.filters import Filters
from dashboard_testdb import APP, ROOT, expected_ids

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


@pytest.fixture(scope="module")
def server(gold_db: Path):
    """`streamlit run dashboard/app.py` on a free port against the gold database."""
    port = _free_port()
    env = {**os.environ, "INDICATORS_DB": str(gold_db)}
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
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


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
    page.goto(server, wait_until="domcontentloaded")
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
