"""Cached answers about what the pages show beside the claims: diplomacy events (issue 11: a pair's, the
explorer's events view's, one event's page) and the official trade statistics (issue 12).

Apart from dashboard/data.py, whose answers come from the claims' snapshot: these read the store through
dashboard/queries.py. The cache key is (path, version, …) as there; the connection is passed as `_con`
(not hashed), so a new database version is a new key and the old answers are never reused."""
from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.filters import Filters


@st.cache_data(max_entries=64, show_spinner=False)
def pair_events(path: str, version: tuple, pair: tuple[str, str], _con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event of the pair, by date (`queries.pair_events`)."""
    return queries.pair_events(_con, *pair)


@st.cache_data(max_entries=256, show_spinner=False)
def official_lines(path: str, version: tuple, pair: tuple[str, str], indicator: str, flow_from: str | None,
                   _con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The official figures of one pair and trade indicator, one line per reporter (`queries.official_lines`)."""
    return queries.official_lines(_con, pair[0], pair[1], indicator, flow_from)


@st.cache_data(max_entries=64, show_spinner=False)
def claim_gap(path: str, version: tuple, claim_id: str, _con: duckdb.DuckDBPyConnection) -> dict | None:
    """A claim's gaps to the official figures of its year (`queries.claim_gap`), or None."""
    return queries.claim_gap(_con, claim_id)


# ---------------------------------------------------------------- the explorer's events and an event's page

@st.cache_data(max_entries=128, show_spinner=False)
def explorer_events(path: str, version: tuple, filters: Filters, selects: tuple, _con: duckdb.DuckDBPyConnection
                    ) -> pd.DataFrame:
    """The events the explorer's filters and the events' own (`EventFilters.selects()`) select, newest first."""
    return queries.events(_con, filters, *selects)


@st.cache_data(max_entries=4, show_spinner=False)
def event_options(path: str, version: tuple, _con: duckdb.DuckDBPyConnection) -> dict:
    """The events' pairs, outlets, years and number (`queries.event_options`)."""
    return queries.event_options(_con)


@st.cache_data(max_entries=64, show_spinner=False)
def event_detail(path: str, version: tuple, event_id: str, _con: duckdb.DuckDBPyConnection) -> dict | None:
    """One event with its provenance and trace (`queries.event`), or None."""
    return queries.event(_con, event_id)


@st.cache_data(max_entries=32, show_spinner=False)
def document_events(path: str, version: tuple, doc_id: str, _con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The events of one article, in text order (`queries.document_events`)."""
    return queries.document_events(_con, doc_id)
