"""Cached answers about what the pages show beside the claims: a pair's diplomacy events (issue 11) and
the official trade statistics (issue 12).

Apart from dashboard/data.py, whose answers come from the claims' snapshot: these read the store through
dashboard/queries.py. The cache key is (path, version, …) as there; the connection is passed as `_con`
(not hashed), so a new database version is a new key and the old answers are never reused."""
from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard import queries


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
