"""The explorer: every figure, filtered in the sidebar, as a chart of one series, a table and the source
of the figure picked; a line above says in plain words what is filtered."""
from __future__ import annotations

import streamlit as st

from dashboard import data, ui
from dashboard.i18n import Lang


def render(store: data.Store, lang: Lang) -> None:
    filters = ui.sidebar_filters(store.options, lang)
    overview = data.overview(store.path, store.version, filters)
    ui.header(overview.counts, lang)
    ui.filtered_line(filters, lang)
    ui.pair_links(overview.pairs, lang)

    if not overview.series:
        ui.no_match(lang)
        return
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
