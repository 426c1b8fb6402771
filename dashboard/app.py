"""Bilateral indicators: `streamlit run dashboard/app.py` (the database: INDICATORS_DB or data/indicators.duckdb).

A thin page: state from the URL, the store, the sections; everything else lives in the modules it calls."""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on the path, not the repository that holds the package
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from dashboard import data, ui, views  # noqa: E402
from dashboard.i18n import t  # noqa: E402

st.set_page_config(page_title="Bilateral indicators", page_icon=":material/monitoring:", layout="wide")
st.html(views.CSS)

_, view = ui.page_state()
lang = ui.language_switch(view.lang)

try:
    store = data.open_store()
except data.Problem as problem:
    st.title(t("app_title", lang))
    ui.problem(problem, lang)
    st.stop()

filters = ui.sidebar_filters(store.options, lang)
overview = data.overview(store.path, store.version, filters)
ui.header(overview.counts, lang)

if not overview.series:
    ui.no_match(lang)
else:
    series = ui.series_picker(overview.series, lang)
    sv = data.series_view(store.path, store.version, filters, series, ui.undated())
    ui.tiles(sv, lang)
    main, side = st.columns([5, 3], gap="medium")
    with main:
        chart_data = ui.chart(sv, series, lang)
        ui.disagreements(chart_data, lang)
        ui.table(store, overview, filters, lang)
    with side, st.container(key="evidence"):
        ui.evidence(store, lang)

ui.sync_url(filters, ui.view_state())
store.build_word_index()
