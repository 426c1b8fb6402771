"""Bilateral indicators: `streamlit run dashboard/app.py` (the database: INDICATORS_DB or data/indicators.duckdb).

A thin entry point: the pages (dashboard/nav.py), the page's state from the URL (dashboard/state.py), the
store; each page is drawn by its module in dashboard/screens/."""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on the path, not the repository that holds the package
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from dashboard import data, nav, state, ui, views  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from dashboard.screens import claim, event, explorer, overview, pair  # noqa: E402

st.set_page_config(page_title="Bilateral indicators", page_icon=":material/monitoring:", layout="wide")
st.html(views.CSS)

SCREENS = {state.OVERVIEW: overview, state.EXPLORER: explorer, state.PAIR: pair, state.CLAIM: claim,
           state.EVENT: event}
store: data.Store | None = None


def _render(name: str) -> None:
    assert store is not None
    SCREENS[name].render(store, state.lang())


# the sidebar's own menu is replaced by links that carry each page's state (nav.sidebar)
current = st.navigation(nav.pages(_render), position="hidden")
name = current.url_path or state.OVERVIEW
if name == state.OVERVIEW and not state.seeded() and state.EXPLORER_ONLY & set(st.query_params.keys()):
    # a link made before the site had pages: its filters are the explorer's
    nav.go(state.EXPLORER, state.parse(state.EXPLORER, state.query_params()), replace=True)
state.enter(name)
lang = state.lang()
nav.sidebar(name, lang)

try:
    store = data.open_store()
except data.Problem as problem:
    st.title(t("app_title", lang))
    ui.problem(problem, lang)
    st.stop()

current.run()
state.sync_url(name)
store.build_word_index()
