"""Dashboard speed at scale: 1,000,000 synthetic claims in a DuckDB file with the store's schema.

    .venv/bin/python benchmarks/bench_dashboard.py [--claims 1000000] [--changes 50] [--db PATH] [--no-browser]

The database is generated once into --db (default: a temporary file; an existing file is reused).
Each figure says what it includes:

  first render, server   a fresh Python process runs the page once through AppTest: opening the file,
                         loading the snapshot, every query and the chart spec, serialising the page.
  first render, session  a new visitor on a running server: a fresh AppTest session in the process that
                         already has the database open (what an analyst opening a link gets).
  first render, browser  a fresh `streamlit run` server and headless chromium: from navigation until the
                         chart's points and the table are drawn (skipped without /usr/bin/chromium);
                         it includes Streamlit's own start in the browser, measured alone as baseline.
  filter change, direct  the cached functions a rerun calls, on cache misses (every state is new):
                         mask, counts, series, table page, chart points, latest figures, chart data,
                         readable table, disagreements. No Streamlit script run.
  filter change, AppTest one widget changed, then the whole script rerun through AppTest (widgets,
                         the above, the chart spec, protobuf of every element). This is the server time
                         of a filter change; it leaves out only the websocket and the browser's drawing.

The sentence search's word index is built in the background after the first render; the changes are
measured once it is ready (its build time is printed), and a scan-based search is timed separately.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scale import scaled  # noqa: E402  (benchmarks/ is on the path: the scripts run as files)

from etl import vocabulary  # noqa: E402

COUNTRIES = ["RUS", "KAZ", "KGZ", "UZB", "TJK", "TKM", "CHN", "TUR", "BLR", "ARM", "AZE", "IRN", "IND",
             "AFG", "PAK", "KOR", "JPN", "DEU", "USA", "ARE", "EAEU", "SCO"]
OUTLETS = [f"news{i}.example.{tld}" for i, tld in enumerate(["kg", "kz", "ru", "uz", "tj"] * 8)]
INDICATORS = list(vocabulary.INDICATORS)
UNITS = {  # indicator -> units it is stated in, most common first
    "trade_turnover": ["USD", "USD", "USD", "%", "RUB"],
    "export": ["USD", "t", "%"],
    "import": ["USD", "%"],
    "investment": ["USD", "EUR"],
    "agreements": ["count", "USD"],
    "aid": ["t", "USD"],
}
TEMPLATES = {
    "trade_turnover": "Товарооборот между {a} и {b} {when} составил {fig}.",
    "export": "Экспорт из {a} в {b} {when} достиг {fig}.",
    "import": "Импорт в {a} из {b} {when} вырос до {fig}.",
    "investment": "Инвестиции {a} в экономику {b} {when} превысили {fig}.",
    "agreements": "По итогам визита {a} и {b} подписали {fig}.",
    "aid": "{a} направил в {b} гуманитарную помощь {when} — {fig}.",
}
UNIT_WORDS = {"USD": "долларов", "RUB": "рублей", "EUR": "евро", "t": "тонн", "%": "%", "count": "соглашений"}


# ---------------------------------------------------------------- synthetic store


def generate(path: Path, n_claims: int, claims_per_doc: int = 10, seed: int = 7) -> None:
    """Write `n_claims` claims in documents of `claims_per_doc` claims whose text is the concatenation of
    their claims' sentences, so that spans, sentences and documents agree as in a real store."""
    rng = np.random.default_rng(seed)
    n = n_claims
    n_docs = -(-n // claims_per_doc)
    doc = np.arange(n) // claims_per_doc
    pairs = sorted({tuple(sorted(rng.choice(COUNTRIES, 2, replace=False))) for _ in range(400)})
    w = 1 / np.arange(1, len(pairs) + 1)  # a few pairs dominate, as in the news
    pair = rng.choice(len(pairs), n, p=w / w.sum())
    a = np.array([p[0] for p in pairs])[pair]
    b = np.array([p[1] for p in pairs])[pair]
    indicator = np.array(INDICATORS)[rng.integers(0, len(INDICATORS), n)]
    unit = np.empty(n, dtype=object)
    for ind, units in UNITS.items():
        sel = indicator == ind
        unit[sel] = np.array(units)[rng.integers(0, len(units), sel.sum())]
    kind = np.where(unit == "%", "change", "level")
    mant = np.round(rng.uniform(1, 999, n), 1)
    scale_i = rng.integers(0, 3, n)
    scaled = ~np.isin(unit, ["%", "count"])
    factor = np.where(scaled, np.array([1e6, 1e9, 1.0])[scale_i], 1.0)
    word = np.where(scaled, np.array([" млн", " млрд", ""])[scale_i], "")
    count = rng.integers(2, 40, n)
    value = np.where(unit == "count", count.astype(float), mant * factor)
    mant_s = pd.Series(mant).map("{:g}".format).str.replace(".", ",", regex=False)
    figure = np.where(unit == "count", pd.Series(count).astype(str), mant_s + pd.Series(word))
    figure = pd.Series(figure) + " " + pd.Series(unit).map(UNIT_WORDS)

    year = rng.integers(2005, 2026, n)
    r = rng.random(n)
    q, m1, m2 = rng.integers(1, 5, n), rng.integers(1, 13, n), rng.integers(2, 12, n)
    ys = pd.Series(year).astype(str)
    period = pd.Series(np.select(
        [r < 0.3, r < 0.7, r < 0.8, r < 0.9],
        ["", ys, ys + "-Q" + pd.Series(q).astype(str), ys + "-" + pd.Series(m1).map("{:02d}".format)],
        ys + "-01/" + ys + "-" + pd.Series(m2).map("{:02d}".format),
    ), dtype=object).where(r >= 0.3, None)
    first_month = np.select([r < 0.7, r < 0.8, r < 0.9], [1, 3 * q - 2, m1], 1)
    p_start = pd.to_datetime(ys + "-" + pd.Series(first_month).map("{:02d}".format) + "-01").where(r >= 0.3)
    last_month = np.select([r < 0.7, r < 0.8, r < 0.9], [12, 3 * q, m1], m2)
    p_end = (pd.to_datetime(ys + "-" + pd.Series(last_month).map("{:02d}".format) + "-01")
             + pd.offsets.MonthEnd(0)).where(r >= 0.3)
    when = np.where(period.isna(), "в прошлом году", "в " + ys + " году")

    tpl = pd.Series(indicator).map(TEMPLATES)
    head = [t.split("{fig}")[0].format(a=x, b=y, when=z) for t, x, y, z in zip(tpl, a, b, when)]
    tail = [t.split("{fig}")[1] for t in tpl]
    sentence = [h + f + t for h, f, t in zip(head, figure, tail)]
    lengths = np.array([len(s) + 1 for s in sentence])  # a sentence and the space after it
    offset = np.cumsum(lengths) - lengths  # where each sentence would start in one long text
    starts = offset - offset[doc * claims_per_doc]  # ... made relative to its document
    f0 = starts + np.array([len(h) for h in head])
    f1 = f0 + figure.str.len().to_numpy()

    claims = pd.DataFrame({
        "claim_id": [f"doc{d:07d}:{x}-{y}:{i}" for d, x, y, i in zip(doc, f0, f1, indicator)],
        "doc_id": [f"doc{d:07d}" for d in doc],
        "indicator": indicator, "country_a": a, "country_b": b,
        "flow_from": np.where(np.isin(indicator, ["export", "import", "investment", "aid"]), a, None),
        "value": value, "value_max": np.nan, "unit": unit.astype(str), "kind": kind,
        "comparator": rng.choice(["eq", "gt", "lt", "approx"], n, p=[0.8, 0.1, 0.03, 0.07]),
        "modality": rng.choice(["actual", "target", "forecast"], n, p=[0.8, 0.15, 0.05]),
        "period": period, "period_start": p_start.dt.date, "period_end": p_end.dt.date,
        "figure_text": figure, "span_start": f0, "span_end": f1, "sentence": sentence,
        "sentence_start": starts, "sentence_end": starts + lengths - 1, "extractor_version": "synthetic",
    })
    claims.loc[claims["period"].isna(), ["period_start", "period_end"]] = None
    texts = claims.groupby("doc_id", sort=True)["sentence"].agg(" ".join)
    published = pd.to_datetime(rng.integers(pd.Timestamp("2005-01-01").value // 86_400_000_000_000,
                                            pd.Timestamp("2025-12-28").value // 86_400_000_000_000, n_docs),
                               unit="D")
    docs = pd.DataFrame({
        "doc_id": texts.index, "source": "synthetic",
        "url": [None if i % 97 == 0 else f"https://{OUTLETS[i % len(OUTLETS)]}/{i}" for i in range(n_docs)],
        "title": [f"Статья {i}: двустороннее сотрудничество" for i in range(n_docs)],
        "published": published.date, "published_inferred": False, "outlet_country": None,
        "text": texts.values, "text_chars": texts.str.len().values, "content_sha256": "0" * 64,
        "ingested_at": datetime(2025, 1, 1),
    })
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.register("docs_df", docs)
    con.register("claims_df", claims)
    con.execute("INSERT INTO documents BY NAME SELECT * FROM docs_df")
    con.execute("INSERT INTO claims BY NAME SELECT * FROM claims_df")
    con.execute("CHECKPOINT")
    con.close()


# ---------------------------------------------------------------- filter changes


def random_changes(options, n: int, seed: int = 11) -> list[tuple[str, object]]:
    """A walk of `n` widget changes, each leading to a filter state not seen before."""
    from dashboard.filters import Filters

    rng = random.Random(seed)
    words = ["товарооборот", "экспорт", "импорт", "инвестиции", "помощь", "соглашений", "млрд", "тонн",
             "прошлом", "году", "долларов", "евро", "визита", "сотрудничество", "KAZ", "RUS", "CHN"]
    lo, hi = options.years
    state = {"country": None, "partners": [], "pairs": [], "indicators": [], "modalities": [], "years": (lo, hi),
             "outlets": [], "search": ""}
    seen, out = set(), []
    while len(out) < n:
        kind = rng.choice(["country", "partners", "pairs", "indicators", "modalities", "years", "outlets",
                           "search", "clear"])
        s = dict(state)
        if kind == "country":
            s["country"], s["partners"] = rng.choice(options.countries), []
            value = s["country"]
        elif kind == "partners":
            if not s["country"]:
                continue
            ps = list(options.partners_of(s["country"]))
            value = s["partners"] = rng.sample(ps, min(len(ps), rng.randint(1, 2)))
        elif kind == "pairs":
            value = s["pairs"] = [f"{a}-{b}" for a, b in rng.sample(list(options.pairs), 2)]
        elif kind == "indicators":
            value = s["indicators"] = rng.sample(list(options.indicators), rng.randint(1, 2))
        elif kind == "modalities":
            value = s["modalities"] = rng.sample(["actual", "target", "forecast"], rng.randint(1, 2))
        elif kind == "years":
            y0 = rng.randint(lo, hi - 1)
            value = s["years"] = (y0, rng.randint(y0 + 1, hi))
        elif kind == "outlets":
            value = s["outlets"] = rng.sample(list(options.outlets), rng.randint(1, 3))
        elif kind == "search":
            value = s["search"] = " ".join(rng.sample(words, rng.randint(1, 2)))
        else:  # back to the whole database, except one dimension, so that broad states are measured too
            keep = rng.choice(["indicators", "modalities", "years"])
            s = {"country": None, "partners": [], "pairs": [], "indicators": [], "modalities": [],
                 "years": (lo, hi), "outlets": [], "search": "", keep: state[keep]}
            value = keep
        y = s["years"]
        f = Filters(country=s["country"], partners=tuple(s["partners"]),
                    pairs=tuple(tuple(p.split("-")) for p in s["pairs"]), indicators=tuple(s["indicators"]),
                    modalities=tuple(s["modalities"]), year_from=None if y == (lo, hi) else y[0],
                    year_to=None if y == (lo, hi) else y[1], outlets=tuple(s["outlets"]), search=s["search"])
        if f in seen:
            continue
        seen.add(f)
        state = s
        out.append((kind, value, f, dict(s)))
    return out


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def _stats(xs: list[float]) -> str:
    return (f"p50 {statistics.median(xs):7.1f} ms   p95 {_pct(xs, 95):7.1f} ms   max {max(xs):7.1f} ms   "
            f"(n={len(xs)})")


def bench_direct(path: Path, changes) -> list[float]:
    from dashboard import charts, data, tables

    store = data.open_store()
    times = []
    for kind, _, f, _ in changes:
        t0 = time.perf_counter()
        ov = data.overview(store.path, store.version, f)
        if ov.series:
            s = ov.series[0]
            sv = data.series_view(store.path, store.version, f, s, False)
            df, _ = charts.chart_data(sv.points, s, "en")
            tables.disagreements(df)
        tables.readable(ov.table, "en")
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _apply(at, kind: str, state: dict) -> None:
    sb = at.sidebar
    if kind == "country":
        sb.selectbox(key="f_country").set_value(state["country"])
    elif kind == "partners":
        sb.multiselect(key="f_partners").set_value(state["partners"])
    elif kind == "pairs":
        sb.multiselect(key="f_pairs").set_value(state["pairs"])
    elif kind == "indicators":
        sb.multiselect(key="f_indicators").set_value(state["indicators"])
    elif kind == "modalities":
        sb.button_group(key="f_modalities").set_value(state["modalities"])
    elif kind == "years":
        sb.slider(key="f_years").set_value(tuple(state["years"]))
    elif kind == "outlets":
        sb.multiselect(key="f_outlets").set_value(state["outlets"])
    elif kind == "search":
        sb.text_input(key="f_search").input(state["search"])
    else:
        sb.selectbox(key="f_country").set_value(None)  # partners go with the country
        sb.multiselect(key="f_pairs").set_value([])
        sb.multiselect(key="f_indicators").set_value(state["indicators"])
        sb.button_group(key="f_modalities").set_value(state["modalities"])
        sb.slider(key="f_years").set_value(tuple(state["years"]))
        sb.multiselect(key="f_outlets").set_value([])
        sb.text_input(key="f_search").input("")


def explorer_test(page: str = "explorer"):
    """An AppTest session opened on `/{page}` (the site's root is the overview)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at._page_hash = calc_hash(page)  # what a browser at /{page} asks for: st.Page hashes its url_path
    return at


def bench_apptest(changes) -> tuple[list[float], float]:
    from dashboard import data

    at = explorer_test().run()
    assert not at.exception, at.exception
    store = data.open_store()
    t0 = time.perf_counter()
    while store._words is None and time.perf_counter() - t0 < 300:  # the background word index
        time.sleep(0.2)
    index_s = time.perf_counter() - t0
    times = []
    for kind, _, _, state in changes:
        _apply(at, kind, state)
        t = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t) * 1000)
        assert not at.exception, at.exception
    return times, index_s


def bench_pair_pages(n: int) -> tuple[list[float], list[float], list[str]]:
    """A pair page on a running server, each pair for the first time (no cached answer): direct (the
    cached functions and the chart data, no Streamlit) and AppTest (the whole page run, one session
    moving from pair to pair). Half the pairs are the most active (the heaviest pages), half random."""
    from dashboard import charts, data, state, tables

    store = data.open_store()
    ranking = data.ranking(store.path, store.version, None)
    pairs = list(zip(ranking["country_a"], ranking["country_b"]))
    rng = random.Random(3)
    top = pairs[: n // 2]
    picked = top + rng.sample(pairs[n // 2:], min(len(pairs) - n // 2, n - len(top)))
    half = len(picked) // 2
    direct = []
    for pair in picked[:half]:
        t = time.perf_counter()
        pv = data.pair_view(store.path, store.version, pair)
        for ps in pv.charts:
            charts.pair_data(ps.points, ps.annual, ps.series, "en")
        tables.readable(pv.table, "en")
        direct.append((time.perf_counter() - t) * 1000)
    at = explorer_test("pair")
    at.query_params["pair"] = state.pair_key(picked[half])
    at.run()
    assert not at.exception, at.exception
    apptest = []
    for pair in picked[half + 1:]:
        at.session_state["_state_pair"] = state.PairState(pair)
        t = time.perf_counter()
        at.run()
        apptest.append((time.perf_counter() - t) * 1000)
        assert not at.exception, at.exception
        assert at.get("vega_lite_chart"), "the pair page drew no chart"
    return direct, apptest, [state.pair_key(p) for p in picked]


def bench_overview(n: int) -> list[float]:
    """The overview on a running server: a country picked (a cache miss each), the whole page run."""
    from dashboard import data, state

    store = data.open_store()
    at = explorer_test("overview").run()
    out = []
    for country in random.Random(4).sample(list(store.options.countries), min(n, len(store.options.countries))):
        at.session_state["_state_overview"] = state.OverviewState(country)
        t = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - t) * 1000)
        assert not at.exception, at.exception
    return out


def first_render_new_session(n: int = 3) -> list[float]:
    """A new visitor on a server that has the database open: a fresh session (its own widgets and
    state), the snapshot and cached answers already in memory."""
    out = []
    for _ in range(n):
        at = explorer_test()
        t = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - t) * 1000)
        assert not at.exception and at.dataframe
    return out


def bench_scan_search(path: Path) -> list[float]:
    from dashboard import queries, search
    from etl.store import connect_readonly

    con = connect_readonly(path)
    idx = queries.load_snapshot(con)
    out = []
    for q in ["товарооборот", "экспорт тонн", "визита KAZ", "евро"]:
        t = time.perf_counter()
        search.mask_of(queries.search_scan(con, search.tokens(q), idx.claim_id), idx.n)
        out.append((time.perf_counter() - t) * 1000)
    con.close()
    return out


def first_render_server(path: Path) -> float:
    """A fresh interpreter, so no cache or connection is warm; module imports happen before the clock."""
    code = "\n".join([
        "import logging, sys, time",
        "logging.disable(logging.WARNING)",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from streamlit.testing.v1 import AppTest",
        "from streamlit.util import calc_hash",
        "import altair, pandas, dashboard.data, dashboard.ui, dashboard.charts",
        f"at = AppTest.from_file({str(ROOT / 'dashboard' / 'app.py')!r}, default_timeout=120)",
        "at._page_hash = calc_hash('explorer')",
        "t = time.perf_counter(); at.run(); ms = (time.perf_counter() - t) * 1000",
        "assert not at.exception and at.dataframe, 'the page did not render'",
        "print(ms)",
    ])
    env = {**os.environ, "INDICATORS_DB": str(path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def first_render_browser(app: Path, env: dict, selectors: list[str], path: str = "") -> float | None:
    """Milliseconds from navigation until every selector is on the page, on a fresh `streamlit run`."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    import socket
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(chromium),
                                  args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = b.new_page(viewport={"width": 1500, "height": 1300})
            t = time.perf_counter()
            page.goto(f"{url}/{path}", wait_until="commit")
            for sel in selectors:
                page.wait_for_selector(sel, timeout=120_000)
            ms = (time.perf_counter() - t) * 1000
            b.close()
        return ms
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


HELLO = "import streamlit as st\nst.title('hello')\nst.dataframe({'a': [1, 2, 3]})\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=int(scaled(1_000_000, minimum=1_000)))
    ap.add_argument("--changes", type=int, default=int(scaled(50, minimum=3)))
    ap.add_argument("--db", type=Path, help="where to keep the generated database (reused if it exists)")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)  # Streamlit's "no runtime" warnings outside `streamlit run`

    tmp = tempfile.TemporaryDirectory() if args.db is None else None
    path = args.db or Path(tmp.name) / "bench.duckdb"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.claims)
        print(f"generated {args.claims:,} claims in {time.perf_counter() - t:.1f} s -> {path}")
    os.environ["INDICATORS_DB"] = str(path)
    n = duckdb.connect(str(path), read_only=True).execute("SELECT count(*) FROM claims").fetchall()[0][0]
    print(f"database: {n:,} claims, {path.stat().st_size / 1e6:.0f} MB; machine: {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")

    results: dict[str, object] = {"claims": n}
    server = [first_render_server(path) for _ in range(3)]
    print(f"first render, server (fresh process, AppTest): {', '.join(f'{x:.0f}' for x in server)} ms")
    results["first_render_server_ms"] = server
    if not args.no_browser:
        browser = first_render_browser(
            ROOT / "dashboard" / "app.py", {"INDICATORS_DB": str(path)},
            ["[data-testid='stVegaLiteChart'] svg g.mark-symbol path", "[data-testid='stDataFrame'] canvas"],
            path="explorer",
        )
        with tempfile.TemporaryDirectory() as d:
            hello = Path(d) / "hello.py"
            hello.write_text(HELLO, encoding="utf-8")
            baseline = first_render_browser(hello, {}, ["[data-testid='stDataFrame'] canvas"])
        if browser is None:
            print("first render, browser: skipped (no /usr/bin/chromium)")
        else:
            print(f"first render, browser (fresh server, chromium): {browser:.0f} ms; "
                  f"a three-row hello-world Streamlit page on the same machine: {baseline:.0f} ms")
        results["first_render_browser_ms"] = browser
        results["browser_baseline_hello_ms"] = baseline

    from dashboard import data

    store = data.open_store()
    changes = random_changes(store.options, args.changes)
    kinds = {}
    for c in changes:
        kinds[c[0]] = kinds.get(c[0], 0) + 1
    print("filter changes:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    apptest, index_s = bench_apptest(changes)
    print(f"search word index ready {index_s:.1f} s after the first render")
    session = first_render_new_session()
    print(f"first render, new session on a running server (AppTest): {', '.join(f'{x:.0f}' for x in session)} ms")
    results["first_render_new_session_ms"] = session
    direct = bench_direct(path, random_changes(store.options, args.changes, seed=12))
    print(f"filter change, direct:  {_stats(direct)}")
    print(f"filter change, AppTest: {_stats(apptest)}")
    by_kind: dict[str, list[float]] = {}
    for (kind, *_), ms in zip(changes, apptest):
        by_kind.setdefault(kind, []).append(ms)
    print("  by widget (AppTest p50/max): " + ", ".join(
        f"{k} {statistics.median(v):.0f}/{max(v):.0f}" for k, v in sorted(by_kind.items())))
    pair_direct, pair_apptest, pair_names = bench_pair_pages(max(4, args.changes // 2))
    print(f"pair page, direct:  {_stats(pair_direct)}")
    print(f"pair page, AppTest: {_stats(pair_apptest)}   (pairs: {', '.join(pair_names[:6])}, …)")
    overview_ms = bench_overview(max(3, args.changes // 5))
    print(f"overview, a country picked (AppTest): {_stats(overview_ms)}")
    results.update(pair_direct_ms=pair_direct, pair_apptest_ms=pair_apptest, overview_ms=overview_ms)
    scan = bench_scan_search(path)
    print(f"sentence search by scan (before the index is ready): {', '.join(f'{x:.0f}' for x in scan)} ms")
    results.update(direct_ms=direct, apptest_ms=apptest, word_index_s=index_s, scan_search_ms=scan)
    out = ROOT / "artifacts" / "bench_dashboard.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"bars: filter change p95 ≤ 150 ms: {'met' if _pct(apptest, 95) <= 150 else 'NOT met'}; "
          f"pair page p95 ≤ 300 ms: {'met' if _pct(pair_apptest, 95) <= 300 else 'NOT met'}; "
          f"first render ≤ 2 s (server, fresh process, worst of 3): {'met' if max(server) <= 2000 else 'NOT met'}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
