"""The page as a user drives it, through streamlit.testing.v1.AppTest against real store files."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import os
import urllib.parse
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.filters import Filters
from dashboard.tables import TABLE_COLUMNS, labels
from dashboard_testdb import APP, db_bytes, expected_ids, gold_claims, gold_docs

TIMEOUT = 60


def run(query: dict | None = None, page: str = "explorer") -> AppTest:
    """A new session opened on `/{page}?{query}` (the overview is the site's root)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    if page != "overview":
        at._page_hash = calc_hash(page)  # what the browser asks for at /{page}: st.Page hashes its url_path
    return at.run()


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_ids(at: AppTest) -> set[str]:
    tables = [d for d in at.dataframe if d.key == "table"]
    assert len(tables) == 1, "the claims table is missing"
    return set(tables[0].value["claim_id"])


def html_text(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict:
    """The download buttons' deferred data, by file name: what the browser would receive on click."""
    seen: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        seen[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return seen


@pytest.fixture
def gold(gold_db: Path, use_db) -> Path:
    return use_db(gold_db)


# ---------------------------------------------------------------- the page and its filters


def test_first_page_has_tiles_chart_table_and_hint(gold):
    at = no_exception(run())
    assert table_ids(at) == expected_ids(Filters())
    assert at.get("vega_lite_chart"), "no chart"
    page = html_text(at)
    assert "Latest actual" in page and "Latest target" in page
    assert any("Click a point" in i.value for i in at.info)
    # the page as opened writes nothing into the URL: a write would add a history entry showing the same
    # page, and Back would seem to do nothing
    assert dict(at.query_params) == {}


CASES = [
    ("country", lambda at: at.sidebar.selectbox(key="f_country").set_value("KGZ"), Filters(country="KGZ")),
    ("partners", lambda at: at.sidebar.selectbox(key="f_country").set_value("KAZ").run()
        .sidebar.multiselect(key="f_partners").set_value(["UZB", "TUR"]),
        Filters(country="KAZ", partners=("UZB", "TUR"))),
    ("pair", lambda at: at.sidebar.multiselect(key="f_pairs").set_value(["KGZ-RUS", "CHN-UZB"]),
        Filters(pairs=(("KGZ", "RUS"), ("CHN", "UZB")))),
    ("indicator", lambda at: at.sidebar.multiselect(key="f_indicators").set_value(["aid", "agreements"]),
        Filters(indicators=("aid", "agreements"))),
    ("modality", lambda at: at.sidebar.button_group(key="f_modalities").set_value(["target"]),
        Filters(modalities=("target",))),
    ("period", lambda at: at.sidebar.slider(key="f_years").set_value((2018, 2020)),
        Filters(year_from=2018, year_to=2020)),
    ("outlet", lambda at: at.sidebar.multiselect(key="f_outlets").set_value(["kant.kg", ""]),
        Filters(outlets=("kant.kg", ""))),
    ("search", lambda at: at.sidebar.text_input(key="f_search").input("оборот МЛРД"),
        Filters(search="оборот МЛРД")),
]


@pytest.mark.parametrize(("name", "act", "filters"), CASES, ids=[c[0] for c in CASES])
def test_each_filter_changes_the_rows_as_expected(gold, name, act, filters):
    at = run()
    everything = table_ids(at)
    act(at).run()
    no_exception(at)
    want = expected_ids(filters)
    assert want and want != everything, "the case must narrow the rows"
    assert table_ids(at) == want
    assert f"of {len(want)} figures" in " ".join(c.value for c in at.caption)


def test_filters_combine(gold):
    at = run()
    at.sidebar.selectbox(key="f_country").set_value("RUS").run()
    at.sidebar.multiselect(key="f_indicators").set_value(["trade_turnover"])
    at.sidebar.button_group(key="f_modalities").set_value(["actual"]).run()
    want = expected_ids(Filters(country="RUS", indicators=("trade_turnover",), modalities=("actual",)))
    assert table_ids(no_exception(at)) == want


def test_reset_clears_every_filter(gold):
    at = run({"country": "KGZ", "q": "товарооборот"})
    assert table_ids(at) == expected_ids(Filters(country="KGZ", search="товарооборот"))
    at.sidebar.button[0].click().run()
    assert table_ids(no_exception(at)) == expected_ids(Filters())
    assert "country" not in at.query_params and "q" not in at.query_params


# ---------------------------------------------------------------- URL


def test_query_params_restore_the_filters(gold):
    claim = sorted(expected_ids(Filters(country="KAZ", partners=("UZB",))))[0]
    query = {"lang": "ru", "country": "KAZ", "partner": "UZB", "indicator": "trade_turnover",
             "modality": "actual", "from": "2017", "to": "2025", "q": "торгов", "claim": claim}
    at = no_exception(run(query))
    sb = at.sidebar
    assert sb.selectbox(key="f_country").value == "KAZ"
    assert sb.multiselect(key="f_partners").value == ["UZB"]
    assert sb.multiselect(key="f_indicators").value == ["trade_turnover"]
    assert sb.button_group(key="f_modalities").value == ["actual"]
    assert sb.slider(key="f_years").value == (2017, 2025)
    assert sb.text_input(key="f_search").value == "торгов"
    assert at.title[0].value == "Двусторонние показатели"
    want = expected_ids(Filters(country="KAZ", partners=("UZB",), indicators=("trade_turnover",),
                                modalities=("actual",), year_from=2017, year_to=2025, search="торгов"))
    assert want and table_ids(at) == want
    # the link is kept as given (plus the chart shown), so it can be shared again
    for key, value in query.items():
        assert at.query_params[key] == value, key
    # the figure named in the link has its sentence on screen
    c = next(c for c in gold_claims() if f"{c['doc_id']}:{c['span'][0]}-{c['span'][1]}:{c['indicator']}" == claim)
    assert c["text"] in html_text(at)


def test_changing_a_filter_writes_the_url(gold):
    at = run()
    at.sidebar.selectbox(key="f_country").set_value("TJK").run()
    at.sidebar.slider(key="f_years").set_value((2016, 2019)).run()
    assert at.query_params["country"] == "TJK"
    assert (at.query_params["from"], at.query_params["to"]) == ("2016", "2019")
    # and a new session opened on that URL shows the same rows
    again = run(dict(at.query_params))
    assert table_ids(again) == table_ids(at) == expected_ids(Filters(country="TJK", year_from=2016, year_to=2019))


def test_stale_or_hand_edited_links_do_not_break_the_page(gold):
    at = no_exception(run({"country": "XYZ", "partner": "ABC", "indicator": "gdp", "from": "abc",
                           "outlet": "nowhere.example", "series": "nope.level.USD", "claim": "no-such-claim",
                           "lang": "fr"}))
    assert table_ids(at) == expected_ids(Filters())
    assert any("no longer in the database" in w.value for w in at.warning)


# ---------------------------------------------------------------- CSV and chart files


def _csv(downloads: dict, name: str = "claims_all.csv", lang: str = "en") -> tuple[bytes, list[list[str]]]:
    assert name in downloads, [n for n in downloads if n and n.endswith(".csv")]
    data = downloads[name]()
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";" if lang == "ru" else ","))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_csv_is_exactly_the_filtered_table(gold, downloads, lang):
    at = no_exception(run({"lang": lang, "country": "KGZ"}))
    data, rows = _csv(downloads, "claims_KGZ.csv", lang)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for spreadsheet programs"
    header, body = rows[0], rows[1:]
    shown = next(d for d in at.dataframe if d.key == "table").value
    names = labels(lang)
    assert len(body) == len(shown) == len(expected_ids(Filters(country="KGZ")))
    for key, _ in TABLE_COLUMNS:  # every column of the table, cell by cell, in the same order
        col = header.index(names[key])
        # the same text, with plain spaces where the screen keeps a number and its unit together
        assert [r[col] for r in body] == [("" if pd.isna(v) else str(v).replace("\u00a0", " ")) for v in shown[key]], key
    assert [r[header.index("claim_id")] for r in body] == list(shown["claim_id"])
    sentence = header.index("Предложение" if lang == "ru" else "Sentence")
    assert all(r[sentence] for r in body) and any("Кыргызстан" in r[sentence] for r in body)
    assert all(r[header.index("doc_id")] for r in body)


def test_csv_in_russian_opens_in_columns_in_a_russian_spreadsheet(gold, downloads):
    """A spreadsheet set to Russian splits on ";" and reads "2,5" as a number; a no-break space makes a
    figure text; the file name says what was filtered."""
    no_exception(run({"lang": "ru", "country": "KAZ", "partner": "UZB", "indicator": "trade_turnover",
                      "from": "2024", "to": "2024"}))
    data, rows = _csv(downloads, "claims_KAZ-UZB_trade_turnover_2024.csv", "ru")
    text = data.decode("utf-8-sig")
    assert "\u00a0" not in text
    header, body = rows[0], rows[1:]
    assert body and all(len(r) == len(header) for r in body), "every line splits into the columns on ';'"
    values = [r[header.index("value")] for r in body]
    assert all(v.replace(",", "").isdigit() for v in values) and not any("." in v for v in values)
    assert any("млрд USD" in r[header.index(labels("ru")["figure"])] for r in body)


def test_csv_follows_a_filter_change(gold, downloads):
    at = run()
    at.sidebar.multiselect(key="f_indicators").set_value(["aid"]).run()
    _, rows = _csv(downloads, "claims_aid.csv")
    ids = [r[rows[0].index("claim_id")] for r in rows[1:]]
    assert set(ids) == expected_ids(Filters(indicators=("aid",))) == table_ids(at)


def test_chart_exports_png_and_svg(gold, downloads):
    no_exception(run())
    png = downloads["trade_turnover-level-USD.png"]()
    svg = downloads["trade_turnover-level-USD.svg"]()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert b"<svg" in svg[:200] and "bn USD".encode() in svg


# ---------------------------------------------------------------- empty states


def test_no_database_says_how_to_build_it(tmp_path, use_db):
    use_db(tmp_path / "missing.duckdb")
    at = no_exception(run())
    assert "No database" in at.error[0].value
    assert "python -m etl build-sample" in at.info[0].value


def test_empty_database(make_db, use_db):
    use_db(make_db(schema_only=True))
    at = no_exception(run())
    assert "holds no figures" in at.info[0].value
    assert not at.dataframe


def test_file_that_is_not_a_store(tmp_path, use_db):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("not a database", encoding="utf-8")
    use_db(bad)
    at = no_exception(run())
    assert "not a claims database" in at.error[0].value


def test_filters_that_match_nothing_show_a_message(gold):
    at = run()
    at.sidebar.text_input(key="f_search").input("несуществующееслово").run()
    no_exception(at)
    assert at.info[0].value == "No figures match these filters."
    assert not [d for d in at.dataframe if d.key == "table"]
    assert not at.get("vega_lite_chart")


def test_new_data_is_picked_up_after_an_ingest_publishes(make_db, use_db):
    """The store publishes by replacing the file: the page must show the new version on the next run."""
    path = use_db(make_db(gold_docs(), gold_claims()[:10]))
    at = run()
    assert len(table_ids(at)) == 10
    newer = make_db(gold_docs(), gold_claims())
    os.replace(newer, path)
    at.run()
    assert len(table_ids(no_exception(at))) == len(gold_claims())


# ---------------------------------------------------------------- hostile input


HOSTILE_TEXT = (
    '<script>alert("x")</script> Официально: товарооборот между Казахстаном и Кыргызстаном '
    "превысил 2 млрд долларов <img src=x onerror=alert(1)>."
)


@pytest.fixture
def hostile(make_db, use_db) -> Path:
    fig = "превысил 2 млрд долларов"
    start = HOSTILE_TEXT.index(fig)
    s0 = HOSTILE_TEXT.index("Официально")
    s1 = len(HOSTILE_TEXT)
    doc = {"id": "evil<1>", "text": HOSTILE_TEXT, "published": "2025-01-02", "url": "javascript:alert(1)",
           "title": '<b onmouseover="alert(1)">Заголовок</b>'}
    claim = {"doc_id": "evil<1>", "indicator": "trade_turnover", "countries": ["KAZ", "KGZ"], "flow_from": None,
             "value": 2e9, "value_max": None, "unit": "USD", "kind": "level", "comparator": "gt",
             "modality": "actual", "period": "2024", "text": fig, "span": [start, start + len(fig)],
             "sentence": HOSTILE_TEXT[s0:s1], "sentence_span": [s0, s1]}
    return use_db(make_db([doc], [claim]))


def test_script_in_an_article_is_shown_as_text(hostile):
    cid = "evil<1>:" + str(HOSTILE_TEXT.index("превысил")) + "-" + str(
        HOSTILE_TEXT.index("превысил") + len("превысил 2 млрд долларов")) + ":trade_turnover"
    at = no_exception(run({"claim": cid}))
    page = html_text(at)
    assert "<script" not in page and "<img" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page  # the whole article, as text
    assert '<mark class="bi-sel">превысил 2 млрд долларов</mark>' in page
    assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;Заголовок&lt;/b&gt;" in page
    assert not at.get("link_button"), "a javascript: URL must not become a link"
    shown = next(d for d in at.dataframe if d.key == "table").value
    assert shown["source"].isna().all()


def test_sql_in_the_search_box_is_just_text(hostile):
    before = db_bytes(hostile)
    digest = hashlib.sha256(hostile.read_bytes()).hexdigest()
    at = run()
    # none of these occurs in the one sentence of the store (the article's <script> is outside it)
    for text in ["'; DROP TABLE claims; --", "zz' UNION SELECT * FROM documents --", "<script>alert(1)</script>",
                 "%", "_", "\\"]:
        at.sidebar.text_input(key="f_search").input(text).run()
        no_exception(at)
        assert at.sidebar.text_input(key="f_search").value == text
        assert at.query_params["q"] == text
        assert at.info[0].value == "No figures match these filters.", text
    at.sidebar.text_input(key="f_search").input("<img ONERROR").run()  # in the sentence: found, as text
    assert len(table_ids(no_exception(at))) == 1
    assert db_bytes(hostile) == before
    assert hashlib.sha256(hostile.read_bytes()).hexdigest() == digest


# ---------------------------------------------------------------- languages


def test_language_switch_keeps_filters_and_formats_numbers(gold):
    at = run({"country": "KAZ", "indicator": "trade_turnover"})
    en_rows = next(d for d in at.dataframe if d.key == "table").value
    assert "1.5\u00a0bn\u00a0USD" in set(en_rows["figure"])
    at.sidebar.button_group(key="lang").set_value("ru").run()
    no_exception(at)
    ru_rows = next(d for d in at.dataframe if d.key == "table").value
    assert at.title[0].value == "Двусторонние показатели"
    assert "1,5\u00a0млрд\u00a0USD" in set(ru_rows["figure"])
    assert set(ru_rows["indicator"]) == {"Товарооборот"}
    assert list(ru_rows["claim_id"]) == list(en_rows["claim_id"])
    assert at.sidebar.selectbox(key="f_country").value == "KAZ"
    assert at.query_params["lang"] == "ru"
    at.sidebar.button_group(key="lang").set_value("en").run()
    assert at.title[0].value == "Bilateral indicators"


def test_evidence_panel_names_the_extractor_that_read_the_figure(gold):
    import duckdb

    con = duckdb.connect(str(gold), read_only=True)
    cid, version = con.execute("SELECT claim_id, extractor_version FROM claims ORDER BY claim_id LIMIT 1").fetchone()
    con.close()
    page = html_text(no_exception(run({"claim": cid})))
    assert f"<b>Extractor version:</b> {version}" in page


def test_evidence_panel_says_how_the_figure_was_read(tmp_path, use_db):
    """A store filled by a real ingest keeps each claim's trace; the panel reads it out in plain words."""
    import duckdb

    from etl.ingest import ingest_paths

    db = tmp_path / "real.duckdb"
    report = ingest_paths([str(Path(__file__).resolve().parents[2] / "data" / "samples" / "seeds.jsonl")], db,
                          quiet=True)
    assert report.new == 5
    use_db(db)
    con = duckdb.connect(str(db), read_only=True)
    cid, trace = con.execute("SELECT claim_id, trace FROM claims WHERE figure_text LIKE '%соглашений%'").fetchone()
    con.close()
    assert '"indicator": "indicator.signed-count"' in trace
    page = html_text(no_exception(run({"claim": cid})))
    assert "How the figure was read" in page
    assert "<b>indicator</b>: a number of documents in a sentence about signing <code>indicator.signed-count</code>" in page
    assert "<b>period</b>:" in page


def test_table_rows_are_selected_by_any_cell_and_columns_fit_their_text(gold):
    import json

    at = no_exception(run({"lang": "ru", "pair": "CIS-TJK"}))
    table = next(d for d in at.dataframe if d.key == "table")
    modes = set(table.proto.selection_mode)
    assert {1, 4} <= modes or len(modes) == 2, modes  # single row and single cell
    widths = {k: v.get("width") for k, v in json.loads(table.proto.columns).items()}
    for key in ("period", "modality"):
        longest = max(len(str(v)) for v in [*table.value[key], labels("ru")[key]])
        assert widths[key] >= longest * 7, (key, widths[key], longest)


def test_a_year_so_far_is_shown_as_partial_not_as_the_year(make_db, use_db):
    """«С начала года» is stored as the year ("2025"); published in February, it covers two months and
    must not read as a collapse next to the previous full year."""
    text = ("Товарооборот Казахстана и Узбекистана в 2024 году составил 4 млрд долларов. "
            "С начала года товарооборот составил 600 млн долларов.")
    docs, claims = [], []
    for i, (sentence, period, value, published) in enumerate([
        (text.split(". ")[0] + ".", "2024", 4e9, "2025-02-01"),
        (text.split(". ")[1], "2025", 6e8, "2025-02-26"),
    ]):
        doc_id = f"ytd{i}"
        docs.append({"id": doc_id, "text": sentence, "published": published, "url": f"https://kun.uz/{i}", "title": "t"})
        claims.append({"doc_id": doc_id, "indicator": "trade_turnover", "countries": ["KAZ", "UZB"],
                       "flow_from": None, "value": value, "value_max": None, "unit": "USD", "kind": "level",
                       "comparator": "eq", "modality": "actual", "period": period, "text": sentence[:10],
                       "span": [0, 10], "sentence": sentence, "sentence_span": [0, len(sentence)]})
    use_db(make_db(docs, claims))
    at = no_exception(run())
    shown = next(d for d in at.dataframe if d.key == "table").value
    assert list(shown["period"]) == ["2025 so far (to Feb 26)", "2024"]
    assert "2025 so far (to Feb 26)" in html_text(at)  # the latest actual figure's tile


@pytest.mark.parametrize(("lang", "caption"), [("en", "Showing 1 of 1 figure."), ("ru", "Показано 1, всего 1 цифра.")])
def test_one_figure_is_one_figure_and_a_bloc_has_its_name(gold, lang, caption):
    at = no_exception(run({"lang": lang, "country": "CIS", "indicator": "trade_turnover"}))
    assert len(table_ids(at)) == 1
    assert caption in [c.value for c in at.caption]
    name = "Commonwealth of Independent States" if lang == "en" else "Содружество Независимых Государств"
    assert f"CIS–TJK · {name} – " in html_text(at)  # the headline tile names the sides


# ---------------------------------------------------------------- the pages


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_overview_ranks_the_pairs_and_filters_by_country(gold):
    at = no_exception(run(page="overview"))
    table = at.dataframe[0].value
    pairs = list(table["Pair"])
    counts = [int(x) for x in table["Figures"]]
    assert counts == sorted(counts, reverse=True) and counts[0] == 14
    assert pairs[0].startswith("KAZ–KGZ · Kazakhstan – Kyrgyzstan")
    assert "1.5\u00a0bn\u00a0USD" in set(table["Latest turnover"])
    assert dict(at.query_params) == {}, "the front page as opened writes nothing into the URL"
    at.selectbox(key="o_country").set_value("KGZ").run()
    no_exception(at)
    assert at.query_params["country"] == "KGZ"
    assert all("KGZ" in p for p in at.dataframe[0].value["Pair"])
    # a new session on that URL shows the same
    again = no_exception(run({"country": "KGZ"}, page="overview"))
    assert list(again.dataframe[0].value["Pair"]) == list(at.dataframe[0].value["Pair"])


def test_overview_of_a_country_without_pairs_and_a_stale_country(gold):
    at = no_exception(run({"country": "XYZ"}, page="overview"))
    assert len(at.dataframe[0].value) > 10, "an unknown country is no filter"


def test_an_explorer_link_from_before_the_pages_opens_the_explorer(gold):
    """`/?country=KGZ&indicator=aid` was the explorer's link: it is redirected there, in place of its
    history entry (Back must not return to the redirect)."""
    at = no_exception(run({"country": "KGZ", "indicator": "aid"}, page="overview"))
    assert 'window.location.replace("./explorer?country=KGZ&indicator=aid")' in html_text(at)
    assert not at.dataframe


def test_explorer_links_to_the_pages_of_its_pairs(gold):
    at = no_exception(run({"country": "KGZ"}))
    line = next(m.value for m in at.markdown if m.value.startswith("Pair pages:"))
    links = re.findall(r'href="\./pair\?pair=([A-Z]+-[A-Z]+)"', line)
    assert links and all("KGZ" in x for x in links) and len(links) == len(set(links))


def test_explorer_says_in_plain_words_what_is_filtered(gold):
    at = no_exception(run({"country": "KGZ", "indicator": "aid"}))
    assert "Filtered — country: Kyrgyzstan; indicators: aid." in _markdown(at)
    at = no_exception(run())
    assert "No filters: every figure in the database." in _markdown(at)


def test_pair_page_headline_charts_table_and_sources(gold):
    at = no_exception(run({"pair": "KGZ-RUS"}, page="pair"))
    page = html_text(at)
    assert "KGZ–RUS · Kyrgyzstan – Russia" in page
    assert "Latest actual turnover" in page and "3.9\u00a0bn\u00a0USD" in page and "Latest target" in page
    assert len(at.get("vega_lite_chart")) >= 1
    frames = [d for d in at.dataframe]
    table = next(d for d in frames if d.key == "p_table").value
    assert set(table["claim_id"]) == expected_ids(Filters(pairs=(("KGZ", "RUS"),)))
    sources = next(d for d in frames if d.key != "p_table").value
    assert sources["Figures"].sum() == len(table)
    assert any("one value per year" in c.value for c in at.caption), "the line's rule is stated on the page"
    at.button_group(key="p_scale").set_value("log").run()
    assert at.query_params["scale"] == "log" and at.query_params["pair"] == "KGZ-RUS"
    assert len(no_exception(at).get("vega_lite_chart")) >= 1


def test_pair_page_empty_states(gold):
    at = no_exception(run(page="pair"))
    assert "No pair chosen" in at.info[0].value
    at.selectbox(key="p_pair").set_value("KAZ-KGZ").run()
    assert at.query_params["pair"] == "KAZ-KGZ" and "KAZ–KGZ · Kazakhstan" in html_text(no_exception(at))
    at = no_exception(run({"pair": "ABC-XYZ"}, page="pair"))
    assert "no figures for ABC-XYZ" in at.info[0].value


def _claim_with_others() -> str:
    from collections import Counter

    from dashboard_testdb import claim_id

    key = lambda c: (tuple(sorted(c["countries"])), c["indicator"], c["period"])  # noqa: E731
    n = Counter(key(c) for c in gold_claims() if c["period"])
    return next(claim_id(c) for c in gold_claims() if c["period"] and n[key(c)] >= 2)


def test_claim_page_has_a_permalink_the_sentence_and_the_same_statements(gold):
    cid = _claim_with_others()
    at = no_exception(run({"claim": cid}, page="claim"))
    link = at.code[0].value
    assert "/claim?claim=" in link and urllib.parse.quote(cid, safe="") in link
    assert '<mark class="bi-sel">' in html_text(at)
    others = next(d for d in at.dataframe if d.key == "c_others").value
    assert len(others) >= 1 and cid not in set(others["claim_id"])


def test_claim_page_empty_states(gold):
    assert "No figure named" in no_exception(run(page="claim")).info[0].value
    assert "no longer in the database" in no_exception(run({"claim": "nope"}, page="claim")).warning[0].value


def test_claim_page_reads_out_the_trace(tmp_path, use_db):
    import duckdb

    from etl.ingest import ingest_paths

    db = tmp_path / "real.duckdb"
    ingest_paths([str(Path(__file__).resolve().parents[2] / "data" / "samples" / "seeds.jsonl")], db, quiet=True)
    use_db(db)
    con = duckdb.connect(str(db), read_only=True)
    cid = con.execute("SELECT claim_id FROM claims WHERE figure_text LIKE '%соглашений%'").fetchone()[0]
    con.close()
    page = html_text(no_exception(run({"claim": cid}, page="claim")))
    assert "How the figure was read" in page and "<code>indicator.signed-count</code>" in page


# ---------------------------------------------------------------- data for every view


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_explorer_zip_holds_the_csv_and_a_readme_naming_the_filters(gold, downloads):
    no_exception(run({"country": "KGZ", "indicator": "trade_turnover"}))
    stem = "claims_KGZ_trade_turnover"
    files = _zip(downloads[f"{stem}.zip"]())
    assert set(files) == {f"{stem}.csv", "README.md"}
    assert files[f"{stem}.csv"] == downloads[f"{stem}.csv"](), "the ZIP's CSV is the CSV button's"
    readme = files["README.md"].decode()
    for part in ("country: Kyrgyzstan", "indicators: trade turnover", "/explorer?country=KGZ&indicator=trade_turnover",
                 date.today().isoformat(), "## Units", "## How values were chosen", "## Caveats", "## Sources"):
        assert part in readme, part
    doc = json.loads(downloads[f"{stem}.json"]())
    want = expected_ids(Filters(country="KGZ", indicators=("trade_turnover",)))
    assert {r["claim_id"] for r in doc["data"]} == want and doc["filters"][0] == "country: Kyrgyzstan"


def test_every_page_offers_its_data(gold, downloads):
    no_exception(run({"country": "KGZ"}, page="overview"))
    rows = list(csv.DictReader(io.StringIO(downloads["pairs_KGZ.csv"]().decode("utf-8-sig"))))
    assert rows and all("KGZ" in r["Pair"] for r in rows)
    assert "README.md" in _zip(downloads["pairs_KGZ.zip"]())
    no_exception(run({"pair": "KGZ-RUS"}, page="pair"))
    files = _zip(downloads["pair_KGZ-RUS.zip"]())
    assert {"pair_KGZ-RUS.csv", "pair_KGZ-RUS_yearly.csv", "README.md"} <= set(files)
    assert "one value per year" in files["README.md"].decode()
    cid = _claim_with_others()
    no_exception(run({"claim": cid}, page="claim"))
    name = next(n for n in downloads if n and n.startswith("figure_") and n.endswith(".json"))
    doc = json.loads(downloads[name]())
    assert doc["data"][0]["claim_id"] == cid and len(doc["data"]) >= 2


def test_chart_exports_carry_a_title_the_filters_a_source_and_the_date(gold, downloads):
    no_exception(run({"country": "KGZ"}))
    svg = downloads["trade_turnover-level-USD.svg"]().decode()
    for part in ("Trade turnover · level · USD", "country: Kyrgyzstan", "Source: Bilateral indicators",
                 date.today().isoformat()):
        assert part.replace("&", "&amp;") in svg, part
    no_exception(run({"pair": "KGZ-RUS"}, page="pair"))
    svg = downloads["KGZ-RUS_trade_turnover_USD.svg"]().decode()
    assert "KGZ–RUS · Kyrgyzstan – Russia: Trade turnover" in svg and date.today().isoformat() in svg


# ---------------------------------------------------------------- the pair's diplomacy (issue 11)


def _gold_events(pair: tuple[str, str]) -> list[dict]:
    from dashboard_testdb import gold_events

    return [e for e in gold_events() if tuple(sorted(e["countries"])) == pair]


def test_pair_page_has_a_diplomacy_timeline_counts_and_events(gold):
    from dashboard_testdb import event_id

    at = no_exception(run({"pair": "KGZ-RUS"}, page="pair"))
    assert "Diplomacy" in [s.value for s in at.subheader]
    want = _gold_events(("KGZ", "RUS"))
    # the timeline: one mark per event, a click selects its event_id
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    timeline = next(s for s in specs if any(p.get("name") == "event" for p in s.get("params", [])))
    assert timeline["params"][0]["select"]["fields"] == ["event_id"]
    assert timeline["encoding"]["shape"]["field"] == "type_label"
    # every event in a table: the dated ones, and apart those without a date in the text
    tables = [set(d.value["event_id"]) for d in at.dataframe if d.key in ("p_events", "p_events_undated")]
    assert tables == [{event_id(e) for e in want if e["date"]}, {event_id(e) for e in want if not e["date"]}]
    # the counts, from the gold records themselves: actual, dated events by the year of their date
    counts = next(d.value for d in at.dataframe if d.key is None and "Calls" in d.value.columns)
    dated = [e for e in want if e["modality"] == "actual" and e["date"]]
    for year in {int(e["date"][:4]) for e in dated}:
        of = [e for e in dated if int(e["date"][:4]) == year]
        assert counts.loc[year, "Visits: Heads of state"] == sum(
            e["type"] == "visit" and e["level"] == "head_of_state" for e in of)
        assert counts.loc[year, "Talks"] == sum(e["type"] == "talks" for e in of)
        assert counts.loc[year, "Calls"] == sum(e["type"] == "call" for e in of)
        assert counts.loc[year, "Documents signed"] == sum(e["count"] or 0 for e in of if e["type"] == "signing")
    # a picked event (as a click on a mark or a row leaves it) shows its sentence, title, date and outlet
    e = next(e for e in want if e["date"] and e["type"] == "visit")
    at.session_state["_pair_event"] = event_id(e)
    page = html_text(no_exception(at.run()))
    s0 = e["sentence_span"][0]
    marked = e["sentence"][e["span"][0] - s0:e["span"][1] - s0]
    assert f'<mark class="bi-sel">{marked}</mark>' in page
    doc = next(d for d in gold_docs() if d["id"] == e["doc_id"])
    assert doc["title"] in page and "Outlet" in page and "Date" in page


def test_pair_page_without_events_says_so(gold):
    from dashboard_testdb import gold_events

    with_events = {tuple(sorted(e["countries"])) for e in gold_events()}
    pair = next(tuple(sorted(c["countries"])) for c in gold_claims() if tuple(sorted(c["countries"])) not in with_events)
    at = no_exception(run({"pair": "-".join(pair)}, page="pair"))
    assert "Diplomacy" in [s.value for s in at.subheader]
    assert any("No diplomacy events" in i.value for i in at.info)
    assert not [d for d in at.dataframe if d.key == "p_events"]


# ---------------------------------------------------------------- official statistics (issue 12)


@pytest.fixture
def official_db(make_db, use_db) -> Path:
    from dashboard_testdb import import_official

    return use_db(import_official(make_db()))


def _gap_claim() -> dict:
    """The gold KGZ–RUS turnover figure of a whole year that the WITS fixture has."""
    return next(c for c in gold_claims() if sorted(c["countries"]) == ["KGZ", "RUS"] and c["unit"] == "USD"
                and c["indicator"] == "trade_turnover" and c["kind"] == "level"
                and c["period"] in ("2021", "2022", "2023"))


def test_pair_chart_overlays_the_official_lines_and_the_figure_page_shows_its_gap(official_db):
    from dashboard_testdb import claim_id, wits_kgz

    at = no_exception(run({"pair": "KGZ-RUS"}, page="pair"))
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    layers = {layer.get("name"): layer for layer in specs[0]["layer"]}  # the turnover chart comes first
    assert "yearly_line" in layers and "official_lines" in layers
    rows = layers["official_lines"]["data"]["values"]
    assert {r["official"] for r in rows} == {"KGZ's report (official)"}  # RUS published nothing here
    assert {r["year"]: r["value_usd"] for r in rows} == {y: wits_kgz("RUS", y) for y in (2021, 2022, 2023)}
    assert all(r["y"] == pytest.approx(r["value_usd"] / 1e9) for r in rows)  # on the news axis (bn USD)
    assert any("Official statistics: wits_kgz.csv." in c.value for c in at.caption)

    c = _gap_claim()
    pct = 100 * (float(c["value"]) / wits_kgz("RUS", int(c["period"])) - 1)
    whole = int(abs(round(pct, 1)) + 0.5)
    sign = "+" if pct > 0 else "\u2212"
    at = no_exception(run({"claim": claim_id(c)}, page="claim"))
    assert [i.value for i in at.info] == [f"Official statistics {c['period']}: vs KGZ's report: {sign}{whole}\u00a0%"]
    at = no_exception(run({"claim": claim_id(c), "lang": "ru"}, page="claim"))
    assert at.info[0].value.startswith(f"Официальная статистика за {c['period']} год: к данным KGZ:")


def test_without_official_statistics_there_is_no_line_and_no_gap(gold):
    from dashboard_testdb import claim_id

    at = no_exception(run({"pair": "KGZ-RUS"}, page="pair"))
    for c in at.get("vega_lite_chart"):
        assert all(layer.get("name") != "official_lines" for layer in json.loads(c.proto.spec).get("layer", []))
    assert not no_exception(run({"claim": claim_id(_gap_claim())}, page="claim")).info
