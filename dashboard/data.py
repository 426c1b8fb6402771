"""The page's access to the store: where it is, its version, the cached connection and snapshot, and
the cached answers to a filter change.

Cache keys always carry (path, version): `etl.store.db_version` changes when an ingest publishes a new
file, so the next rerun opens it and no answer computed from the old one is reused."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import queries, search
from etl import settings
from etl import store as store_api
from dashboard.filters import Filters, Options
from dashboard.index import ClaimIndex, Counts, Series

TABLE_ROWS = 200  # rows the table shows; the CSV has the rest
PAIR_LINKS = 8  # the explorer links to the pages of its most stated pairs
CSV_MAX_ROWS = 100_000
INDEX_DELAY_S = 2.0  # the search index waits this long after the first page, so the two do not compete
CHART_MAX_POINTS = 400  # the most recent statements of a series; more is a cloud, and slower


def db_path() -> Path:
    """The store every command uses (`etl.settings.db_path`: `INDICATORS_DB`, else the checkout's data/)."""
    return settings.db_path()


class Problem(Exception):
    """Why there is nothing to show: kind is 'missing', 'invalid', 'busy' or 'empty'."""

    def __init__(self, kind: str, path: Path, detail: str = "") -> None:
        super().__init__(f"{kind}: {path} {detail}")
        self.kind, self.path, self.detail = kind, path, detail


@dataclass
class Store:
    """One published version of the database, opened read-only, with its snapshot."""

    path: str
    version: tuple
    con: duckdb.DuckDBPyConnection
    index: ClaimIndex
    options: Options
    _words: search.WordIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _building: bool = False
    _scanned: OrderedDict = field(default_factory=OrderedDict)  # recent scan results, by tokens
    _masks: OrderedDict = field(default_factory=OrderedDict)  # recent filter masks: a rerun needs one twice

    def search_hits(self, query: str) -> np.ndarray | None:
        """Claims whose sentence matches `query`, as a mask over the snapshot; None when no query."""
        if not query.strip():
            return None
        toks = tuple(search.tokens(query))
        if not toks:  # punctuation only ("%"): the index has no words for it, the scan finds it literally
            toks = (search.fold(query.strip()),)
        elif self._words is not None:
            return self._words.hits(list(toks))
        with self._lock:
            hit = self._scanned.get(toks)
        if hit is None:
            hit = search.mask_of(queries.search_scan(self.con, list(toks), self.index.claim_id), self.index.n)
            with self._lock:
                self._scanned[toks] = hit
                while len(self._scanned) > 16:
                    self._scanned.popitem(last=False)
        return hit

    def build_word_index(self) -> None:
        """Build the search index in a background thread (once); searches scan until it is ready."""
        with self._lock:
            if self._building or self._words is not None:
                return
            self._building = True

        def run() -> None:
            # let the first page reach the browser before taking both cores for a few seconds
            time.sleep(INDEX_DELAY_S)
            try:
                # A connection of its own, closed afterwards: the aggregation over every word of every
                # sentence takes DuckDB ~0.5 GB at a million claims, which only closing gives back.
                con = store_api.connect_readonly(self.path)
                try:
                    vocabulary = queries.search_vocabulary(con, self.index.claim_id)
                finally:
                    con.close()
                if tuple(store_api.db_version(self.path)) == self.version:  # else a newer file came meanwhile
                    self._words = search.WordIndex(vocabulary, self.index.n)
            except (duckdb.Error, OSError):
                pass  # the file went or changed: searches keep scanning, which is always right
            finally:
                self._building = False

        # explicitly not a daemon (a thread inherits its creator's flag, and Streamlit runs scripts in
        # daemon threads): an interpreter exiting while DuckDB is mid-query in here aborts the process
        threading.Thread(target=run, name="word-index", daemon=False).start()

    def mask(self, filters: Filters) -> np.ndarray:
        with self._lock:
            m = self._masks.get(filters)
        if m is None:
            m = self.index.mask(filters, self.search_hits(filters.search))
            with self._lock:
                self._masks[filters] = m
                while len(self._masks) > 8:
                    self._masks.popitem(last=False)
        return m


def _close(store: Store) -> None:
    store.con.close()


@st.cache_resource(max_entries=2, on_release=_close, show_spinner="Opening the database…")
def _open(path: str, version: tuple) -> Store:
    con = store_api.connect_readonly(path)
    try:
        queries.check_schema(con)
        index = queries.load_snapshot(con)
    except Exception:
        con.close()
        raise
    return Store(path, version, con, index, index.options())


def open_store() -> Store:
    """The current version of the database, or a Problem saying why not."""
    path = db_path()
    try:
        version = store_api.db_version(path)
    except FileNotFoundError:
        raise Problem("missing", path) from None
    if version is None:
        raise Problem("missing", path)
    try:
        store = _open(str(path), tuple(version))
    except FileNotFoundError:
        raise Problem("missing", path) from None
    except duckdb.IOException as e:
        kind = "busy" if "lock" in str(e).lower() else "invalid"  # a writer's lock passes; a bad file does not
        raise Problem(kind, path, str(e).splitlines()[0]) from None
    except duckdb.Error as e:
        raise Problem("invalid", path, str(e).splitlines()[0]) from None
    if store.index.n == 0:
        raise Problem("empty", path)
    return store


# ---------------------------------------------------------------- cached answers to a filter change
# The Store is looked up again inside each function (a cache hit) rather than passed in: the cache key
# is then exactly (path, version, filter values).

@dataclass(frozen=True)
class Overview:
    counts: Counts
    series: list[Series]
    table: dict[str, list]  # snapshot fields of the newest TABLE_ROWS matching claims, table order
    pairs: list[tuple[str, str]] = field(default_factory=list)  # the most stated pairs, for links to their pages


@st.cache_data(max_entries=256, show_spinner=False)
def overview(path: str, version: tuple, filters: Filters) -> Overview:
    store = _open(path, version)
    m = store.mask(filters)
    return Overview(
        counts=store.index.counts(m),
        series=store.index.summary(m),
        table=store.index.columns(store.index.newest(m, TABLE_ROWS)),
        pairs=store.index.top_pairs(m, PAIR_LINKS),
    )


@dataclass(frozen=True)
class SeriesView:
    points: dict[str, list]  # most recent figures of the series (snapshot fields, `ClaimIndex.columns`)
    n_dated: int  # figures with a period (before the cap)
    latest: dict[str, dict]  # 'actual' / 'target' -> row


@st.cache_data(max_entries=256, show_spinner=False)
def series_view(path: str, version: tuple, filters: Filters, series: Series, undated: bool) -> SeriesView:
    store = _open(path, version)
    idx = store.index
    m = idx.series_mask(store.mask(filters), series)
    pos, total = idx.most_recent(m, dated_only=not undated, limit=CHART_MAX_POINTS)
    latest_pos = idx.latest(m)
    cols = idx.columns(np.array(list(latest_pos.values()), dtype=np.int64))
    latest_rows = [dict(zip(cols, values)) for values in zip(*cols.values())]
    return SeriesView(
        points=idx.columns(pos),
        n_dated=total,
        latest={name: row for name, row in zip(latest_pos, latest_rows)},
    )


@st.cache_data(max_entries=64, show_spinner=False)
def claim_detail(path: str, version: tuple, claim_id: str) -> dict | None:
    return queries.claim(_open(path, version).con, claim_id)


@st.cache_data(max_entries=32, show_spinner=False)
def document(path: str, version: tuple, doc_id: str) -> tuple[dict | None, pd.DataFrame]:
    con = _open(path, version).con
    return queries.document(con, doc_id), queries.document_claims(con, doc_id)


def csv_rows(store: Store, filters: Filters) -> tuple[pd.DataFrame, int]:
    """All matching claims in table order (at most CSV_MAX_ROWS) with sentence and source, and how many
    matched. Not cached: it runs only when the download button is pressed."""
    m = store.mask(filters)
    pos = store.index.newest(m)
    rows = queries.claims_in_order(store.con, store.index.claim_ids(pos[:CSV_MAX_ROWS]))
    return rows, int(pos.size)


# ---------------------------------------------------------------- the pages' answers

HEADLINE = ("trade_turnover", "USD")
# A pair page draws a chart per indicator (up to six): fewer points each than the explorer's one chart, so
# the page stays within its time (the line itself is drawn from every year's value, not from these)
PAIR_CHART_MAX_POINTS = 250  # the overview ranks pairs by activity and shows this series' latest year


@st.cache_data(max_entries=64, show_spinner=False)
def ranking(path: str, version: tuple, country: str | None) -> pd.DataFrame:
    """The overview's table: pairs (of `country`, or all) by statements (`ClaimIndex.pair_ranking`)."""
    store = _open(path, version)
    return store.index.pair_ranking(store.mask(Filters(country=country)), *HEADLINE)


@dataclass(frozen=True)
class PairSeries:
    series: Series  # one indicator's level figures in its most stated unit
    points: dict[str, list]  # its most recent dated figures (all modalities), `ClaimIndex.columns`
    n_dated: int
    annual: pd.DataFrame  # the line: `ClaimIndex.annual` of this pair


@dataclass(frozen=True)
class PairView:
    counts: Counts
    charts: list[PairSeries]
    headline: dict | None  # the latest year of the turnover line: its row (`columns`) + 'prev_value', 'year'
    target: dict | None  # the turnover target stated in the most recent article
    table: dict[str, list]  # the newest TABLE_ROWS figures
    sources: pd.DataFrame  # outlet, statements, articles


def _row(idx: ClaimIndex, pos: int) -> dict:
    cols = idx.columns(np.array([pos], dtype=np.int64))
    return {k: v[0] for k, v in cols.items()}


@st.cache_data(max_entries=64, show_spinner=False)
def pair_view(path: str, version: tuple, pair: tuple[str, str]) -> PairView:
    """Everything a pair page shows, from the snapshot."""
    store = _open(path, version)
    idx = store.index
    m = store.mask(Filters(pairs=(pair,)))
    charts: list[PairSeries] = []
    seen: set[str] = set()
    for s in idx.summary(m):  # largest first: each indicator's most stated unit
        if s.kind != "level" or s.indicator in seen:
            continue
        seen.add(s.indicator)
        sm = idx.series_mask(m, s)
        pos, n_dated = idx.most_recent(sm, dated_only=True, limit=PAIR_CHART_MAX_POINTS)
        charts.append(PairSeries(s, idx.columns(pos), n_dated, idx.annual(m, s.indicator, s.unit)))
    charts.sort(key=lambda c: (c.series.indicator != HEADLINE[0], -c.series.n))
    headline = target = None
    turnover = next((c for c in charts if c.series.indicator == HEADLINE[0]), None)
    if turnover is not None:
        line = turnover.annual
        if not line.empty:
            last = line.iloc[-1]
            prev = line[line["year"] == last["year"] - 1]
            headline = {**_row(idx, idx.position(str(last["claim_id"]))), "year": int(last["year"]),
                        "prev_value": float(prev["value"].iloc[0]) if len(prev) else None}
        targets = idx.newest(idx.series_mask(m, turnover.series)
                             & (idx.codes["modality"] == idx._code_of("modality", "target")), 1)
        if targets.size:
            target = _row(idx, int(targets[0]))
    return PairView(
        counts=idx.counts(m), charts=charts, headline=headline, target=target,
        table=idx.columns(idx.newest(m, TABLE_ROWS)), sources=idx.sources(m),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def same_statements(path: str, version: tuple, claim_id: str) -> dict[str, list]:
    """The other figures of the claim's pair, indicator and period (any unit, modality), newest first."""
    idx = _open(path, version).index
    pos = idx.position(claim_id)
    if pos is None:
        return idx.columns(np.zeros(0, np.int64))
    return idx.columns(idx.newest(idx.same_statements(pos), TABLE_ROWS))


def claims_rows(store: Store, claim_ids: list[str]) -> pd.DataFrame:
    """Full rows (sentence and source) of these claims in this order, for a download."""
    return queries.claims_in_order(store.con, claim_ids)
