"""The explorer: every figure, filtered in the sidebar, as a chart of one series, a table and the source
of the figure picked; a line above says in plain words what is filtered. The sidebar's "What to explore"
switch shows the diplomacy events instead (dashboard/screens/explorer_events.py)."""
from __future__ import annotations

import streamlit as st

from dashboard import data, ui
from dashboard.screens import explorer_events
from dashboard.i18n import Lang


def render(store: data.Store, lang: Lang) -> None:
    if explorer_events.switch(lang):
        explorer_events.render(store, lang)
        return
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
