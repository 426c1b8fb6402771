"""The dashboard's pure parts: formatting, the URL round trip, HTML escaping, and the snapshot's answers
checked against a plain-Python reading of the gold claims."""
from __future__ import annotations

import csv
import io
import random
import re
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import charts, i18n, queries, search, tables, views
from dashboard.filters import Filters, View, parse_query, to_query
from dashboard.i18n import NBSP

from dashboard_testdb import expected_ids, host_of

# ---------------------------------------------------------------- numbers, periods, dates


@pytest.mark.parametrize(
    ("value", "unit", "kw", "ru", "en"),
    [
        (1.5e9, "USD", {}, f"1,5{NBSP}млрд{NBSP}USD", "1.5\u00a0bn\u00a0USD"),
        (3e9, "USD", {"comparator": "gt"}, f"более 3{NBSP}млрд{NBSP}USD", f"more than 3{NBSP}bn{NBSP}USD"),
        (2.6e8, "USD", {"comparator": "approx"}, f"около 260{NBSP}млн{NBSP}USD", f"about 260{NBSP}mn{NBSP}USD"),
        (6.0, "%", {"kind": "change"}, f"+6{NBSP}%", "+6%"),
        (-8e6, "USD", {"kind": "change", "comparator": "gt"}, f"более −8{NBSP}млн{NBSP}USD", f"more than −8{NBSP}mn{NBSP}USD"),
        (2000.0, "t", {}, f"2{NBSP}000{NBSP}т", f"2,000{NBSP}t"),
        (1.8, "x", {"kind": "change"}, "1,8×", "1.8×"),
        (7.0, "count", {}, "7", "7"),
        (1e9, "USD", {"value_max": 2e9}, f"1–2{NBSP}млрд{NBSP}USD", f"1–2{NBSP}bn{NBSP}USD"),
        (33.333, "%", {"kind": "change", "comparator": "approx"}, f"около +33,33{NBSP}%", "about +33.33%"),
        (1.234e9, "KGS", {}, f"1,23{NBSP}млрд{NBSP}KGS", f"1.23{NBSP}bn{NBSP}KGS"),
    ],
)
def test_figures_read_like_the_issue_asks(value, unit, kw, ru, en):
    assert i18n.format_figure(value, unit, "ru", **kw) == ru
    assert i18n.format_figure(value, unit, "en", **kw) == en


@pytest.mark.parametrize(
    ("period", "en", "ru"),
    [
        ("2023", "2023", "2023"),
        ("2018-Q1", f"Q1{NBSP}2018", f"I{NBSP}кв.{NBSP}2018"),
        ("2022-09", f"Sep{NBSP}2022", f"сент.{NBSP}2022"),
        ("2016-01/2016-04", f"Jan–Apr{NBSP}2016", f"янв.–апр.{NBSP}2016"),
        ("2017/2019", "2017–2019", "2017–2019"),
        ("2025-07-02", "2025-07-02", "02.07.2025"),
        ("garbage", "garbage", "garbage"),
        (None, "", ""),
    ],
)
def test_periods_are_readable(period, en, ru):
    assert i18n.format_period(period, "en") == en
    assert i18n.format_period(period, "ru") == ru


def test_dates_and_names():
    assert i18n.format_date(date(2025, 7, 2), "ru") == "02.07.2025"
    assert i18n.format_date(pd.Timestamp("2025-07-02"), "en") == "2025-07-02"
    assert i18n.country_name("KGZ", "ru") == "Кыргызстан"
    assert i18n.country_name("EAEU", "en") == "Eurasian Economic Union"
    assert i18n.country_name("ZZZ", "en") == "ZZZ"  # unknown codes fall back to themselves
    assert i18n.pair_label("KAZ–KGZ", "en") == "KAZ–KGZ · Kazakhstan – Kyrgyzstan"


def test_every_label_exists_in_both_languages():
    for key, (en, ru) in i18n._LABELS.items():
        assert en and ru, key
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", ru)), key


# ---------------------------------------------------------------- the URL


def test_query_string_round_trip():
    f = Filters(country="KAZ", partners=("KGZ", "UZB"), pairs=(("RUS", "TJK"),), indicators=("trade_turnover",),
                modalities=("actual", "target"), year_from=2016, year_to=2024, outlets=("kant.kg", ""),
                search="товарооборот 3 млрд")
    v = View(lang="ru", series="trade_turnover.level.USD", undated=True, claim="d:1-2:aid")
    assert parse_query(to_query(f, v)) == (f, v)


def test_default_state_is_an_empty_query():
    assert to_query(Filters(), View()) == {}


def test_invalid_query_values_are_dropped_not_fatal():
    f, v = parse_query({
        "country": ["<script>"], "partner": ["KGZ"], "pair": ["KAZ", "A-B-C", "kaz-kgz"],
        "indicator": ["nonsense", "aid"], "modality": ["maybe"], "from": ["20x6"], "to": ["99999"],
        "outlet": ["bad host/../x", "kant.kg"], "lang": ["de"], "series": ["'; drop"], "q": ["x" * 500],
    })
    assert f.country is None and f.partners == ()  # partners need a country
    assert f.pairs == (("KAZ", "KGZ"),)
    assert f.indicators == ("aid",) and f.modalities == ()
    assert f.year_from is None and f.year_to is None
    assert f.outlets == ("kant.kg",)
    assert len(f.search) == 200
    assert v == View()


@settings(max_examples=60, deadline=None)
@given(
    country=st.sampled_from([None, "KAZ", "RUS"]),
    partners=st.lists(st.sampled_from(["KGZ", "UZB", "CHN"]), unique=True, max_size=2),
    indicators=st.lists(st.sampled_from(["aid", "export", "trade_turnover"]), unique=True),
    years=st.one_of(st.none(), st.tuples(st.integers(2000, 2030), st.integers(2000, 2030))),
    search=st.text(max_size=30).map(str.strip),
)
def test_any_filter_state_survives_the_url(country, partners, indicators, years, search):
    y0, y1 = (None, None) if years is None else sorted(years)
    f = Filters(country=country, partners=tuple(partners) if country else (), indicators=tuple(indicators),
                year_from=y0, year_to=y1, search=search)
    assert parse_query(to_query(f, View()))[0] == f


# ---------------------------------------------------------------- HTML


def test_sentence_marks_the_figure_and_escapes_everything():
    sentence = "<b>Товарооборот</b> & превысил 3 млрд <script>x</script>"
    start = sentence.index("превысил")
    out = views.sentence_html(sentence, 100, 100 + start, 100 + start + len("превысил 3 млрд"))
    assert "<mark class=\"bi-sel\">превысил 3 млрд</mark>" in out
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out and "&amp;" in out


def test_sentence_with_a_span_outside_it_is_shown_unmarked():
    out = views.sentence_html("short", 0, 10, 20)
    assert "<mark" not in out and "short" in out


def test_document_marks_every_figure_even_overlapping_ones():
    text = 'Title "<img src=x onerror=alert(1)>"\nстороны подписали 7 соглашений на 2 млрд'
    a = text.index("7 соглашений")
    b = text.index("соглашений на 2 млрд")
    out = views.document_html(text, [
        views.Mark(a, a + len("7 соглашений"), 'count "7"', selected=True),
        views.Mark(b, b + len("соглашений на 2 млрд"), "value <2 bn>"),
        views.Mark(5, 999, "out of range: ignored"),
    ])
    assert "<img" not in out and "&lt;img" in out
    assert out.count("<mark") == 3  # "7 ", "соглашений" (both), " на 2 млрд"
    assert 'title="count &quot;7&quot; | value &lt;2 bn&gt;"' in out
    assert "out of range" not in out
    # the text survives intact once the markup is taken away
    plain = re.sub(r"<[^>]+>", "", out)
    import html as _html
    assert _html.unescape(plain) == text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x", "//x.kg", "", None])
def test_only_http_links_are_clickable(url):
    assert views.safe_url(url) is None


def test_http_links_pass():
    assert views.safe_url(" https://kant.kg/a?b=1 ") == "https://kant.kg/a?b=1"


# ---------------------------------------------------------------- the snapshot against plain Python


FILTERS = [
    Filters(),
    Filters(country="KGZ"),
    Filters(country="KAZ", partners=("UZB", "TUR")),
    Filters(pairs=(("KGZ", "RUS"), ("CHN", "UZB"))),
    Filters(indicators=("aid", "agreements")),
    Filters(modalities=("target",)),
    Filters(year_from=2018, year_to=2020),
    Filters(year_from=2024),
    Filters(outlets=("kant.kg", "")),
    Filters(search="товарооборот"),
    Filters(search="Оборот МЛРД"),  # case-insensitive, every word, inside longer words
    Filters(search="объём"),  # ё as е: the sentences write «объем»
    Filters(search="товарооборота"),  # any form of the word's lemma: «товарооборот», «товарооборотом»
    Filters(country="RUS", indicators=("trade_turnover",), modalities=("actual",), year_to=2021),
]


@pytest.fixture(scope="module")
def snapshot(gold_db):
    con = duckdb.connect(str(gold_db), read_only=True)
    idx = queries.load_snapshot(con)
    words = search.WordIndex(queries.search_vocabulary(con, idx.claim_id), idx.n)
    yield con, idx, words
    con.close()


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[8:60])
def test_snapshot_selects_what_the_contract_says(snapshot, f):
    con, idx, words = snapshot
    hits = None
    if f.search:
        hits = words.hits(search.tokens(f.search))
        scanned = search.mask_of(queries.search_scan(con, search.tokens(f.search), idx.claim_id), idx.n)
        assert (hits == scanned).all(), "the word index and the scan must agree"
    m = idx.mask(f, hits)
    got = set(idx.claim_ids(idx.newest(m)))
    want = expected_ids(f)
    assert want, "each case must select something, or it tests nothing"
    assert got == want
    assert sum(s.n for s in idx.summary(m)) == len(want)
    assert idx.counts(m).figures == len(want)


def test_newest_article_first_then_text_order(snapshot):
    _, idx, _ = snapshot
    rows = idx.frame(idx.newest(idx.mask(Filters())))
    published = [d or date.min for d in rows["doc_published"]]
    assert published == sorted(published, reverse=True)
    spans = [int(cid.split(":")[-2].split("-")[0]) for cid in rows["claim_id"]]
    for doc_id, group in rows.assign(span=spans).groupby("doc_id", sort=False):
        assert list(group["span"]) == sorted(group["span"]), doc_id


def test_latest_figure_is_the_most_recent_period(snapshot):
    _, idx, _ = snapshot
    m = idx.series_mask(idx.mask(Filters(pairs=(("KGZ", "RUS"),))), queries_series("trade_turnover", "level", "USD"))
    latest = idx.latest(m)
    row = idx.frame(np.array([latest["actual"]])).iloc[0]
    # gold: KGZ–RUS actual levels; 3.9 bn for 2024 is the latest with a period, but an undated "about 5 bn"
    # published 2025-09-11 is more recent still
    assert row["value"] == 5e9 and row["comparator"] == "approx"


def queries_series(indicator, kind, unit):
    from dashboard.index import Series

    return Series(indicator, kind, unit)


# ---------------------------------------------------------------- chart data and CSV


def test_chart_keeps_disagreeing_figures_apart_and_merges_repeats(snapshot):
    _, idx, _ = snapshot
    s = queries_series("trade_turnover", "level", "USD")
    m = idx.series_mask(idx.mask(Filters()), s)
    pos, _ = idx.most_recent(m, dated_only=True, limit=600)
    cols = idx.columns(pos)
    # duplicate one statement: the chart must merge it, not draw two points or average
    dup = {k: v + [v[0]] for k, v in cols.items()}
    dup["claim_id"][-1] = "copy-of-first"
    df, y_title = charts.chart_data(dup, s, "en")
    assert y_title == "bn USD"
    assert len(df) == len(set(zip(cols["pair"], cols["modality"], cols["period"], cols["value"], cols["comparator"])))
    assert df["n_sources"].max() >= 2
    # two sources giving different values for one pair and period are two points
    conflicts = tables.disagreements(df)
    for _, g in conflicts.iterrows():
        assert len(g["claim_ids"]) >= 2


def test_csv_has_bom_table_columns_first_then_sentence_and_raw_fields(snapshot):
    con, idx, _ = snapshot
    ids = idx.claim_ids(idx.newest(idx.mask(Filters(country="KGZ"))))
    rows = queries.claims_in_order(con, ids)
    data = tables.csv_bytes(rows, "ru")
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, body = parsed[0], parsed[1:]
    labels = list(tables.labels("ru").values())
    assert header[: len(labels)] == labels
    assert header[len(labels)] == "Предложение"
    assert [r[header.index("claim_id")] for r in body] == ids
    assert any("Кыргызстан" in r[header.index("Предложение")] for r in body)


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(snapshot):
    con, idx, _ = snapshot
    ids = idx.claim_ids(idx.newest(idx.mask(Filters(country="KGZ"))))[:2]
    rows = queries.claims_in_order(con, ids)
    rows["sentence"] = ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)"]
    rows["doc_url"] = ["+cmd", "-1"]
    parsed = list(csv.reader(io.StringIO(tables.csv_bytes(rows, "en").decode("utf-8-sig"))))
    header, body = parsed[0], parsed[1:]
    assert [r[header.index("Sentence")] for r in body] == ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)"]
    assert [r[header.index("doc_url")] for r in body] == ["'+cmd", "'-1"]
    # the program's own formatting («+21 %») is no formula and stays as the table shows it
    figure = header.index(tables.labels("en")["figure"])
    assert [r[figure] for r in body] == [tables.plain_spaces(x) for x in tables.csv_frame(rows, "en")[tables.labels("en")["figure"]]]


def test_export_png_and_svg():
    s = queries_series("trade_turnover", "level", "USD")
    cols = {"claim_id": ["a"], "country_a": ["KAZ"], "country_b": ["KGZ"], "pair": ["KAZ–KGZ"],
            "indicator": ["trade_turnover"], "kind": ["level"], "unit": ["USD"], "modality": ["actual"],
            "comparator": ["gt"], "period": ["2023"], "flow_from": [None], "value": [1.5e9], "value_max": [None],
            "period_start": [date(2023, 1, 1)], "period_end": [date(2023, 12, 31)], "figure_text": ["1,5 млрд"],
            "doc_id": ["d"], "doc_title": ["t"], "doc_url": [None], "doc_published": [date(2024, 1, 1)],
            "outlet": [""], "ps_days": [19358], "pe_days": [19722], "pub_days": [19723]}
    df, y_title = charts.chart_data(cols, s, "ru")
    chart = charts.with_data(charts.series_chart(s, y_title, "ru"), df, "Товарооборот")
    png = charts.export(chart, "png")
    svg = charts.export(chart, "svg").decode("utf-8")
    assert png.startswith(b"\x89PNG")
    assert svg.lstrip().startswith("<svg") and "млрд USD" in svg


def test_flows_are_coloured_by_direction():
    row = {"country_a": "KAZ", "country_b": "RUS", "flow_from": "RUS", "indicator": "export"}
    assert charts.line_label(row) == "RUS→KAZ"
    assert charts.line_label({**row, "indicator": "trade_turnover"}) == "KAZ–RUS"


def test_outlet_of_a_url_matches_the_sql(gold_db):
    con = duckdb.connect(str(gold_db), read_only=True)
    try:
        rows = con.execute(f"SELECT url, {queries.outlet_sql('url')} FROM documents").fetchall()
    finally:
        con.close()
    assert rows
    for url, outlet in rows:
        assert outlet == host_of(url), url
        if url:
            assert urlsplit(url).hostname.removeprefix("www.") == outlet


def test_a_cached_spec_is_retitled_for_each_chart():
    from dashboard.index import Series

    base = charts.vega_spec(charts.series_chart(Series("", "level", ""), "", "ru"))
    spec = charts.retitle(base, "млрд USD", many_lines=True, zero=False)
    ys = []

    def walk(node):
        if isinstance(node, dict):
            enc = node.get("encoding", {})
            if isinstance(enc.get("y"), dict) and enc["y"].get("field") == "y":
                ys.append(enc["y"])
            for key in ("color", "stroke"):
                if key in enc:
                    assert enc[key]["scale"]["scheme"] == "tableau20"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert ys and all(y["title"] == "млрд USD" and y["scale"]["zero"] is False for y in ys)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert base["layer"][2]["encoding"]["y"]["title"] == ""  # the cached spec itself is not changed
    assert any(p.get("name") == charts.SELECTION for p in spec.get("params", []))


# ---------------------------------------------------------------- the table's geometry and clicks


def test_a_short_table_is_as_tall_as_its_rows():
    assert tables.table_height(1) == 2 * tables.ROW_PX + 3  # header and one row
    assert tables.table_height(3) == 4 * tables.ROW_PX + 3
    assert tables.table_height(200) == tables.MAX_HEIGHT_PX


def test_columns_are_wide_enough_for_their_longest_text():
    shown = pd.DataFrame({key: ["x"] for key, _ in tables.TABLE_COLUMNS})
    shown["period"] = ["2025, с начала года (на 26.02)"]
    shown["modality"] = ["Фактическое значение"]
    shown["title"] = ["T" * 400]
    widths = tables.column_widths(shown, tables.labels("ru"))
    for key in ("period", "modality"):
        assert widths[key] >= len(shown[key][0]) * 7, key
    assert widths["title"] <= 360  # long text wraps at a limit


@pytest.mark.parametrize(("selection", "row"), [
    ({"rows": [3], "columns": [], "cells": []}, 3),
    ({"rows": [], "columns": [], "cells": [[5, "figure"]]}, 5),  # a click on a cell selects its row
    ({"rows": [], "columns": [], "cells": []}, None),
    (None, None),
])
def test_a_click_on_a_row_or_any_of_its_cells_selects_the_row(selection, row):
    assert tables.selected_row(selection) == row


# ---------------------------------------------------------------- search by the word, not its spelling


SEARCH_SENTENCES = [
    "Товарооборот с Китаем вырос на 20%.",
    "Объём торговли с Китаем составил 2 млрд долларов.",
    "Объем торговли с Казахстаном составил 1 млрд долларов.",
    "Китай увеличил экспорт в Казахстан.",
]


@pytest.fixture(scope="module")
def search_db(tmp_path_factory):
    from dashboard_testdb import build_db

    text = " ".join(SEARCH_SENTENCES)
    doc = {"id": "s1", "text": text, "published": "2025-01-02", "url": "https://example.kg/1", "title": "t"}
    claims = []
    for i, sent in enumerate(SEARCH_SENTENCES):
        start = text.index(sent)
        claims.append({"doc_id": "s1", "indicator": "trade_turnover", "countries": ["CHN", "KAZ"],
                       "flow_from": None, "value": float(i + 1), "value_max": None, "unit": "USD", "kind": "level",
                       "comparator": "eq", "modality": "actual", "period": "2024", "text": sent[:5],
                       "span": [start, start + 5], "sentence": sent, "sentence_span": [start, start + len(sent)]})
    path = build_db(tmp_path_factory.mktemp("search") / "s.duckdb", [doc], claims)
    con = duckdb.connect(str(path), read_only=True)
    idx = queries.load_snapshot(con)
    words = search.WordIndex(queries.search_vocabulary(con, idx.claim_id), idx.n)
    yield con, idx, words
    con.close()


@pytest.mark.parametrize(("query", "want"), [
    ("объём", {1, 2}),  # ё and е are one letter to a reader
    ("ОБЪЕМ", {1, 2}),
    ("Китай", {0, 1, 3}),  # «Китаем» is a form of «Китай»
    ("Китая", {0, 1, 3}),  # a form typed finds the others
    ("Кита", {0, 1, 3}),  # a stem still finds what holds it
    ("Казахстану", {2, 3}),
    ("торговля Китай", {1}),  # every word
    ("оборот", {0}),  # inside a longer word, as before
])
def test_search_finds_every_form_of_a_word_and_both_paths_agree(search_db, query, want):
    con, idx, words = search_db
    toks = search.tokens(query)
    by_index = words.hits(toks)
    by_scan = search.mask_of(queries.search_scan(con, toks, idx.claim_id), idx.n)
    assert (by_index == by_scan).all(), "the word index and the scan must agree"
    got = {SEARCH_SENTENCES.index(s) for s in queries.claims_by_id(con, idx.claim_ids(np.flatnonzero(by_index)))["sentence"]}
    assert got == want


# ---------------------------------------------------------------- periods not over when stated


def test_an_actual_figure_of_a_period_not_over_is_partial():
    year_end, feb = date(2025, 12, 31), date(2025, 2, 26)
    assert i18n.partial_until(year_end, feb, "actual") == feb  # «с начала года»: January and February
    assert i18n.partial_until(date(2024, 12, 31), feb, "actual") is None  # the year before: whole
    assert i18n.partial_until(year_end, feb, "target") is None  # a plan may look ahead
    assert i18n.partial_until(year_end, None, "actual") is None
    assert i18n.format_period("2025", "en", feb) == "2025 so far (to Feb 26)"
    assert i18n.format_period("2025", "ru", feb) == "2025, с начала года (на 26.02)"
    assert i18n.format_period("2025-Q1", "ru", feb) == f"I{NBSP}кв.{NBSP}2025, неполный период (на 26.02)"
    assert i18n.format_period("2024/2025", "en", feb) == "2024–2025 so far (to 2025-02-26)"


def test_a_year_so_far_is_charted_up_to_its_publication_and_marked():
    from dashboard.index import Series

    s = Series("trade_turnover", "level", "USD")

    def row(cid, period, start, end, published, value):
        days = lambda d: (d - date(1970, 1, 1)).days  # noqa: E731
        return {"claim_id": cid, "country_a": "KAZ", "country_b": "UZB", "pair": "KAZ–UZB",
                "indicator": "trade_turnover", "kind": "level", "unit": "USD", "modality": "actual",
                "comparator": "eq", "period": period, "flow_from": None, "value": value, "value_max": None,
                "period_start": start, "period_end": end, "figure_text": "x", "doc_id": cid, "doc_title": "t",
                "doc_url": None, "doc_published": published, "outlet": "", "ps_days": days(start),
                "pe_days": days(end), "pub_days": days(published)}

    rows = [row("full", "2024", date(2024, 1, 1), date(2024, 12, 31), date(2025, 2, 1), 4e9),
            row("ytd", "2025", date(2025, 1, 1), date(2025, 12, 31), date(2025, 2, 26), 6e8)]
    cols = {k: [r[k] for r in rows] for k in rows[0]}
    df = charts.chart_data(cols, s, "en")[0].set_index("claim_id")
    assert df.loc["ytd", "x_end"] == np.datetime64("2025-02-26")  # not the end of 2025
    assert df.loc["ytd", "x"] < np.datetime64("2025-02-26") and df.loc["full", "x"] == np.datetime64("2024-07-01")
    assert df.loc["ytd", "period_label"] == "2025 so far (to Feb 26)" and "so far" in df.loc["ytd", "mark"]
    assert df.loc["full", "period_label"] == "2024" and df.loc["full", "mark"] == ""
    shown = tables.readable(cols, "ru")
    assert list(shown["period"]) == ["2024", "2025, с начала года (на 26.02)"]


@pytest.mark.parametrize(("lang", "sep", "value"), [("en", ",", "2.5"), ("ru", ";", "2,5")])
def test_csv_separator_and_decimal_mark_follow_the_language(snapshot, lang, sep, value):
    con, idx, _ = snapshot
    rows = queries.claims_in_order(con, idx.claim_ids(idx.newest(idx.mask(Filters(country="KGZ"))))[:1])
    rows["value"] = [2.5]
    parsed = list(csv.reader(io.StringIO(tables.csv_bytes(rows, lang).decode("utf-8-sig")), delimiter=sep))
    assert parsed[1][parsed[0].index("value")] == value
    assert NBSP not in tables.csv_bytes(rows, lang).decode("utf-8-sig")


@pytest.mark.parametrize(("f", "name"), [
    (Filters(), "claims_all.csv"),
    (Filters(country="KAZ", partners=("CHN",), indicators=("trade_turnover",), year_from=2024, year_to=2024),
     "claims_KAZ-CHN_trade_turnover_2024.csv"),
    (Filters(pairs=(("KGZ", "RUS"),), modalities=("target",), year_from=2018, year_to=2020),
     "claims_KGZ-RUS_target_2018-2020.csv"),
    (Filters(outlets=("kant.kg", ""), year_from=2018), "claims_from-2018_kant.kg_no-url.csv"),
    (Filters(search="товарооборот"), "claims_q.csv"),
    (Filters(search="../../etc/passwd; rm -rf"), "claims_q-etc-passwd-rm-rf.csv"),
])
def test_csv_file_name_says_what_was_filtered_in_safe_characters(f, name):
    assert tables.csv_name(f) == name
    assert re.fullmatch(r"[A-Za-z0-9._-]+", tables.csv_name(f))


# ---------------------------------------------------------------- wording


@pytest.mark.parametrize(("n", "en", "ru"), [
    (0, "0 figures", "0 цифр"), (1, "1 figure", "1 цифра"), (2, "2 figures", "2 цифры"),
    (4, "4 figures", "4 цифры"), (5, "5 figures", "5 цифр"), (11, "11 figures", "11 цифр"),
    (12, "12 figures", "12 цифр"), (21, "21 figures", "21 цифра"), (22, "22 figures", "22 цифры"),
    (111, "111 figures", "111 цифр"), (1001, "1,001 figures", f"1{NBSP}001 цифра"),
])
def test_counts_take_the_plural_form_of_their_number(n, en, ru):
    assert i18n.count(n, "figure", "en") == en
    assert i18n.count(n, "figure", "ru") == ru


def test_every_code_has_a_full_name():
    """Each code the extractor can give a side (the lexicon's countries and the blocs) reads with its
    name in both languages, not as the code alone."""
    with open(Path(i18n.__file__).resolve().parent.parent / "etl" / "lexicon" / "countries.csv", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    from etl.vocabulary import BLOCS

    for code in [*codes, *BLOCS]:
        for lang in ("en", "ru"):
            assert i18n.country_name(code, lang) != code, (code, lang)
    assert i18n.country_option("CIS", "en") == "CIS · Commonwealth of Independent States"
    assert i18n.country_option("CIS", "ru") == "CIS · Содружество Независимых Государств"


# ---------------------------------------------------------------- the pages' views: snapshot against SQL


@pytest.fixture(scope="module")
def random_store(tmp_path_factory):
    """A synthetic store (the benchmark's generator): many pairs and years, partial years, no URL for some."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_dashboard import generate

    path = tmp_path_factory.mktemp("random") / "r.duckdb"
    generate(path, 6000, seed=3)
    con = duckdb.connect(str(path), read_only=True)
    yield con, queries.load_snapshot(con)
    con.close()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for col in a.columns:
        x, y = a[col].tolist(), b[col].tolist()
        assert [None if pd.isna(v) else v for v in x] == [None if pd.isna(v) else v for v in y], col


@pytest.mark.parametrize("which", ["gold", "random"])
def test_pages_views_from_the_snapshot_equal_their_sql(which, snapshot, random_store):
    """`ClaimIndex.annual`, `.pair_ranking` and `.sources` (the pages' fast path) give the frames of their
    statements in queries.py, on random countries, pairs and series."""
    con, idx = (snapshot[0], snapshot[1]) if which == "gold" else random_store
    rng = random.Random(5)
    options = idx.options()
    series = [(s.indicator, s.unit) for s in idx.summary(idx.mask(Filters())) if s.kind == "level"]
    for _ in range(12):
        country = rng.choice([None, *options.countries])
        pair = rng.choice(options.pairs)
        indicator, unit = rng.choice(series)
        m = idx.mask(Filters(country=country))
        _same(idx.annual(m, indicator, unit), queries.annual(con, indicator, unit, country=country))
        _same(idx.pair_ranking(m, indicator, unit), queries.pair_ranking(con, indicator, unit, country=country))
        _same(idx.sources(m), queries.sources(con, country=country))
        ranked = queries.pair_ranking(con, indicator, unit, country=country)
        assert idx.top_pairs(m, 8) == list(zip(ranked["country_a"], ranked["country_b"]))[:8]
        pm = idx.mask(Filters(pairs=(pair,)))
        _same(idx.annual(pm, indicator, unit), queries.annual(con, indicator, unit, pair=pair))
        _same(idx.sources(pm), queries.sources(con, pair=pair))


def test_the_yearly_line_takes_whole_years_from_the_newest_article(make_db):
    """One value per year: the full-year figure of the most recent article; a year so far, a quarter and
    a forecast are never the line's."""
    text = "Товарооборот составил 1 млрд долларов."
    docs, claims = [], []
    for i, (period, value, published, modality) in enumerate([
        ("2023", 1e9, "2024-02-01", "actual"),
        ("2023", 1.1e9, "2024-05-01", "actual"),  # newer: the line's 2023
        ("2024", 5e8, "2024-06-01", "actual"),  # a year so far: not the line's
        ("2024-Q1", 3e8, "2024-05-01", "actual"),
        ("2024", 9e9, "2023-12-01", "forecast"),
        ("2022", 8e8, "2023-03-01", "actual"),
    ]):
        docs.append({"id": f"d{i}", "text": text, "published": published, "url": f"https://kun.uz/{i}", "title": "t"})
        claims.append({"doc_id": f"d{i}", "indicator": "trade_turnover", "countries": ["KAZ", "UZB"],
                       "flow_from": None, "value": value, "value_max": None, "unit": "USD", "kind": "level",
                       "comparator": "eq", "modality": modality, "period": period, "text": text[:10],
                       "span": [0, 10], "sentence": text, "sentence_span": [0, len(text)]})
    con = duckdb.connect(str(make_db(docs, claims)), read_only=True)
    idx = queries.load_snapshot(con)
    line = idx.annual(idx.mask(Filters()), "trade_turnover", "USD")
    assert list(zip(line["year"], line["value"])) == [(2022, 8e8), (2023, 1.1e9)]
    ranking = idx.pair_ranking(idx.mask(Filters()), "trade_turnover", "USD")
    assert ranking.iloc[0][["statements", "year", "value", "prev_value"]].tolist() == [6, 2023, 1.1e9, 8e8]
    _same(ranking, queries.pair_ranking(con, "trade_turnover", "USD"))
    con.close()


def test_a_pair_keeps_its_colour_everywhere():
    from dashboard import charts

    assert charts.colour("KAZ-CHN") == charts.colour("KAZ–CHN")
    assert len({charts.colour(f"{a}-{b}") for a, b in [("KAZ", "CHN"), ("KGZ", "RUS"), ("TJK", "UZB")]}) >= 2
    spec = charts.fixed_colours({"encoding": {"color": {"field": "line", "scale": {"scheme": "x"}}}}, ["KAZ–CHN"])
    assert spec["encoding"]["color"]["scale"] == {"domain": ["KAZ–CHN"], "range": [charts.colour("KAZ-CHN")]}


@pytest.mark.parametrize(("f", "en"), [
    (Filters(), "No filters: every figure in the database."),
    (Filters(country="KAZ", partners=("UZB",), indicators=("trade_turnover",), year_from=2017, year_to=2025,
             search="торгов"),
     "Filtered — country: Kazakhstan; partners: Uzbekistan; indicators: trade turnover; "
     "periods overlapping: 2017–2025; sentence contains: «торгов»."),
])
def test_the_filters_in_plain_words(f, en):
    from dashboard import describe

    assert describe.filters_line(f, "en") == en
    assert describe.filters_line(f, "ru")
