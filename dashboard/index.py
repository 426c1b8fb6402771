"""An in-memory, columnar snapshot of the claims that every filter change is answered from.

Why not SQL for each change: a change must touch every claim (1,000,000 in the benchmark) several times
— counts per series, the newest table rows, the chart's most recent points, the headline figures — and
each DuckDB statement over the store pays a scan, a join with `documents` for the publication date and
outlet, and scattered reads; together they cost several hundred milliseconds on a two-core machine. The
snapshot is loaded by one SQL statement per database version (`queries.load_snapshot`), stores small
integer codes in numpy arrays with precomputed sort orders, and answers a change with vectorised masks in
a few milliseconds. Sentences and other wide text stay in DuckDB and are read by primary key for the
rows actually shown.

Everything here is pure: no Streamlit, no SQL."""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.filters import Filters, Options, options_from_pairs, year_bounds
from etl.vocabulary import Modality

NO_DATE = np.iinfo(np.int32).min  # days since 1970 for "no date"; sorts before every real date
_EPOCH = date(1970, 1, 1)
CODE_COLUMNS = (
    "country_a", "country_b", "indicator", "kind", "unit", "modality", "comparator", "period", "flow_from",
)


def _days(d: date) -> int:
    return (d - _EPOCH).days


def day_to_date(days: int) -> date | None:
    return None if days == NO_DATE else _EPOCH + timedelta(days=int(days))


@dataclass(frozen=True, slots=True)
class Series:
    """One chart: figures of one indicator, kind and unit (never two units on one axis)."""

    indicator: str
    kind: str
    unit: str
    n: int = 0
    n_undated: int = 0

    @property
    def key(self) -> str:
        return f"{self.indicator}.{self.kind}.{self.unit}"


@dataclass(frozen=True, slots=True)
class Counts:
    figures: int
    articles: int
    pairs: int


def _lookup(levels: Sequence[str], wanted: Sequence[str]) -> np.ndarray:
    """A boolean table over codes: True where the level is wanted (unknown values match nothing)."""
    table = np.zeros(len(levels) + 1, dtype=bool)  # +1: code -1 (NULL) reads the last slot, always False
    pos = {v: i for i, v in enumerate(levels)}
    for w in wanted:
        if w in pos:
            table[pos[w]] = True
    return table


_FAR = 3_000_000  # more days after 1970 than any date has; turns "descending" into an ascending key


def _descending_key(days: np.ndarray, tie: np.ndarray, tie_span: int) -> np.ndarray:
    """An int64 sort key: `days` descending (missing last), then `tie` ascending."""
    d = np.where(days == NO_DATE, -_FAR, days).astype(np.int64)
    return (_FAR - d) * (tie_span + 1) + tie


class ClaimIndex:
    """Claims as parallel arrays (in the order the store returned them), with the two orders the page
    needs: newest article first (the table and the CSV) and most recent figure first (chart, tiles)."""

    def __init__(self, claims: pa.Table, levels: dict[str, list[str]], docs: pa.Table) -> None:
        """`claims`: codes (int16, -1 for NULL) for CODE_COLUMNS, value, value_max, ps/pe (int32 days or
        NULL), doc (int32 position in `docs`), span (span_start), claim_id, figure_text.
        `docs`: doc_id, published (int32 days or NULL), title, url, outlet — one row per document."""
        self.levels = {c: list(levels[c]) for c in CODE_COLUMNS}
        self.n = claims.num_rows

        def ints(name: str, dtype, fill: int) -> np.ndarray:
            col = claims.column(name).combine_chunks() if claims.num_rows else pa.array([], pa.int32())
            return np.asarray(col.fill_null(fill).to_numpy(zero_copy_only=False), dtype=dtype)

        self.codes = {c: ints(c, np.int16, -1) for c in CODE_COLUMNS}
        self.value = np.asarray(claims.column("value").to_numpy(), dtype=np.float64)
        self.value_max = np.asarray(claims.column("value_max").to_numpy(), dtype=np.float64)
        self.ps = ints("ps", np.int32, NO_DATE)
        self.pe = ints("pe", np.int32, NO_DATE)
        self.doc = ints("doc", np.int32, 0)
        self.span = ints("span", np.int64, 0)
        self.claim_id = claims.column("claim_id").combine_chunks() if self.n else pa.array([], pa.string())
        self.figure_text = claims.column("figure_text").combine_chunks() if self.n else pa.array([], pa.string())

        self.doc_id = docs.column("doc_id").combine_chunks() if docs.num_rows else pa.array([], pa.string())
        pub = docs.column("published").combine_chunks() if docs.num_rows else pa.array([], pa.int32())
        self.doc_published = np.asarray(pub.fill_null(NO_DATE).to_numpy(zero_copy_only=False), dtype=np.int32)
        self.doc_title = docs.column("title").combine_chunks() if docs.num_rows else pa.array([], pa.string())
        self.doc_url = docs.column("url").combine_chunks() if docs.num_rows else pa.array([], pa.string())
        outlet = docs.column("outlet").combine_chunks().dictionary_encode() if docs.num_rows else None
        self.outlet_levels: list[str] = outlet.dictionary.to_pylist() if outlet is not None else []
        self.doc_outlet = (
            np.asarray(outlet.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int32)
            if outlet is not None else np.zeros(0, np.int32)
        )

        # Both country columns share one list of codes; a pair is then one integer.
        nc = len(self.levels["country_a"])
        self._pair_code = self.codes["country_a"].astype(np.int32) * (nc + 1) + self.codes["country_b"]
        nk, nu = len(self.levels["kind"]) + 1, len(self.levels["unit"]) + 1
        self._series_code = (self.codes["indicator"].astype(np.int32) * nk + self.codes["kind"]) * nu + self.codes["unit"]
        self._series_base = (nk, nu)
        self._series_code2 = self._series_code.astype(np.int64) * 2 + (self.pe == NO_DATE)
        self._published = self.doc_published[self.doc] if self.n else np.zeros(0, np.int32)
        # Table order: newest article first, then by doc_id, then in text order within the article.
        ndocs = self.doc_published.size
        doc_rank = np.empty(ndocs, dtype=np.int64)
        doc_rank[np.argsort(_descending_key(self.doc_published, np.arange(ndocs), ndocs))] = np.arange(ndocs)
        max_span = int(self.span.max()) if self.n else 0
        table_key = doc_rank[self.doc] * (max_span + 1) + self.span
        # "How recent is this figure": the end of its period, else the day it was published; ties in
        # table order. The two sorts are independent and numpy sorts without the GIL: run them together.
        recency = np.where(self.pe != NO_DATE, self.pe, self._published)
        span = int(table_key.max()) if self.n else 0
        if span < 2**62 // (2 * _FAR + 1):
            recency_key = _descending_key(recency, table_key, span)
            with ThreadPoolExecutor(2) as pool:
                by_table = pool.submit(np.argsort, table_key, kind="stable")
                self._by_recency = np.argsort(recency_key)
                self._order = by_table.result()
        else:  # keys too large to combine: rank first, then sort by recency
            self._order = np.argsort(table_key, kind="stable")
            rank = np.empty(self.n, dtype=np.int64)
            rank[self._order] = np.arange(self.n)
            self._by_recency = np.argsort(_descending_key(recency, rank, self.n))

    # ---------------------------------------------------------------- options and masks

    def options(self) -> Options:
        countries = self.levels["country_a"]
        nc = len(countries)
        pairs = []
        if self.n:
            # bincount, not unique: counting a million small integers beats sorting them
            base = int(self._pair_code.min())
            for code in (np.flatnonzero(np.bincount(self._pair_code - base)) + base).tolist():
                a, b = divmod(code, nc + 1)
                if 0 <= a < nc and 0 <= b < nc:
                    pairs.append((countries[a], countries[b]))
        dated = self.pe != NO_DATE
        years = None
        if dated.any():
            years = (day_to_date(int(self.ps[dated].min())).year, day_to_date(int(self.pe[dated].max())).year)
        used_docs = np.flatnonzero(np.bincount(self.doc, minlength=1)) if self.n else np.zeros(0, np.int64)
        codes = self.doc_outlet[used_docs]
        outlet_codes = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=1)) if codes.size else codes
        outlets = [self.outlet_levels[i] for i in outlet_codes.tolist() if 0 <= i < len(self.outlet_levels)]
        ind = self.levels["indicator"]
        used = np.flatnonzero(np.bincount(self.codes["indicator"][self.codes["indicator"] >= 0], minlength=1))
        indicators = [ind[i] for i in used.tolist() if i < len(ind)] if self.n else []
        return options_from_pairs(pairs, outlets, years, indicators, self.n)

    def _code_of(self, column: str, value: str) -> int:
        try:
            return self.levels[column].index(value)
        except ValueError:
            return -2  # matches nothing, not even NULL (-1)

    def mask(self, filters: Filters, search_hits: np.ndarray | None = None) -> np.ndarray:
        """Rows matching `filters`; `search_hits` is the boolean result of the sentence search, if any."""
        m = np.ones(self.n, dtype=bool)
        a, b = self.codes["country_a"], self.codes["country_b"]
        if filters.country:
            ca, cb = self._code_of("country_a", filters.country), self._code_of("country_b", filters.country)
            in_a, in_b = a == ca, b == cb
            m &= in_a | in_b
            if filters.partners:
                # the partner is the other side of the pair; its code lives in the other column's levels
                ok_b = _lookup(self.levels["country_b"], filters.partners)
                ok_a = _lookup(self.levels["country_a"], filters.partners)
                m &= (in_a & ok_b[b]) | (in_b & ok_a[a])
        if filters.pairs:
            pm = np.zeros(self.n, dtype=bool)
            for x, y in filters.pairs:
                pm |= (a == self._code_of("country_a", x)) & (b == self._code_of("country_b", y))
            m &= pm
        for column, wanted in (("indicator", filters.indicators), ("modality", filters.modalities)):
            if wanted:
                m &= _lookup(self.levels[column], wanted)[self.codes[column]]
        lo, hi = year_bounds(filters)
        if lo is not None:
            m &= (self.pe != NO_DATE) & (self.pe >= _days(lo))
        if hi is not None:
            m &= (self.ps != NO_DATE) & (self.ps <= _days(hi))
        if filters.outlets:
            ok = _lookup(self.outlet_levels, filters.outlets)
            m &= ok[self.doc_outlet][self.doc]
        if search_hits is not None:
            m &= search_hits
        return m

    # ---------------------------------------------------------------- answers to one change

    def summary(self, m: np.ndarray) -> list[Series]:
        """The series the matching claims fall into, largest first, with how many lack a period."""
        if not m.any():
            return []
        # one bincount for both numbers: code * 2 + (1 if undated)
        both = np.bincount(self._series_code2[m], minlength=2)
        if both.size % 2:
            both = np.append(both, 0)
        nk, nu = self._series_base
        lv = self.levels
        out: list[Series] = []
        for code in np.flatnonzero(both[0::2] + both[1::2]).tolist():
            i, rest = divmod(code, nk * nu)
            k, u = divmod(rest, nu)
            if i >= len(lv["indicator"]) or k >= len(lv["kind"]) or u >= len(lv["unit"]):
                continue
            n_undated = int(both[2 * code + 1])
            out.append(Series(lv["indicator"][i], lv["kind"][k], lv["unit"][u], int(both[2 * code]) + n_undated,
                              n_undated))
        # largest first; on a tie, levels before changes (the amount itself is the headline)
        return sorted(out, key=lambda s: (-s.n, s.kind != "level", s.indicator, s.unit))

    def counts(self, m: np.ndarray) -> Counts:
        n = int(m.sum())
        if n == 0:
            return Counts(0, 0, 0)
        # bincount, not unique: counting beats sorting a million integers
        docs = np.count_nonzero(np.bincount(self.doc[m], minlength=1))
        pairs = np.count_nonzero(np.bincount(self._pair_code[m] - int(self._pair_code.min()), minlength=1))
        return Counts(n, int(docs), int(pairs))

    def top_pairs(self, m: np.ndarray, limit: int) -> list[tuple[str, str]]:
        """The pairs with the most matching claims, most first (ties: by pair)."""
        if not m.any():
            return []
        base = int(self._pair_code.min())
        n = np.bincount(self._pair_code[m] - base)
        codes = np.flatnonzero(n)
        codes = codes[np.lexsort((codes, -n[codes]))][:limit]
        nc = len(self.levels["country_a"])
        lv = self.levels["country_a"]
        return [(lv[a], lv[b]) for a, b in (divmod(int(c) + base, nc + 1) for c in codes)]

    def newest(self, m: np.ndarray, limit: int | None = None) -> np.ndarray:
        """Positions of the matching rows in table order (newest first), the first `limit` of them."""
        pos = self._order[m[self._order]]
        return pos if limit is None else pos[:limit]

    def series_mask(self, m: np.ndarray, series: Series) -> np.ndarray:
        return (
            m
            & (self.codes["indicator"] == self._code_of("indicator", series.indicator))
            & (self.codes["kind"] == self._code_of("kind", series.kind))
            & (self.codes["unit"] == self._code_of("unit", series.unit))
        )

    def most_recent(self, m: np.ndarray, *, dated_only: bool, limit: int) -> tuple[np.ndarray, int]:
        """Positions of the `limit` most recent matching figures, and how many there were in all."""
        if dated_only:
            m = m & (self.pe != NO_DATE)
        ordered = self._by_recency[m[self._by_recency]]
        return ordered[:limit], int(ordered.size)

    def latest(self, m: np.ndarray) -> dict[str, int]:
        """modality -> position of its most recent figure, for 'actual' and 'target'."""
        ordered = self._by_recency[m[self._by_recency]]
        mod = self.codes["modality"][ordered]
        out: dict[str, int] = {}
        for name in (Modality.ACTUAL.value, Modality.TARGET.value):
            hit = np.flatnonzero(mod == self._code_of("modality", name))
            if hit.size:
                out[name] = int(ordered[hit[0]])
        return out

    def columns(self, pos: np.ndarray) -> dict[str, list]:
        """The rows at `pos` as plain Python lists of display fields (no sentences)."""
        pos = np.asarray(pos, dtype=np.int64)
        idx = pa.array(pos, type=pa.int64())

        def decode(column: str) -> list:
            levels = self.levels[column]
            return [levels[c] if c >= 0 else None for c in self.codes[column][pos].tolist()]

        def nan_to_none(values: np.ndarray) -> list:
            return [None if v != v else v for v in values.tolist()]  # NaN != NaN

        docs = self.doc[pos]
        doc_idx = pa.array(docs, type=pa.int64())
        a, b = decode("country_a"), decode("country_b")
        return {
            "claim_id": self.claim_id.take(idx).to_pylist(),
            "country_a": a,
            "country_b": b,
            "pair": [f"{x}–{y}" for x, y in zip(a, b)],
            "indicator": decode("indicator"),
            "kind": decode("kind"),
            "unit": decode("unit"),
            "modality": decode("modality"),
            "comparator": decode("comparator"),
            "period": decode("period"),
            "flow_from": decode("flow_from"),
            "value": self.value[pos].tolist(),
            "value_max": nan_to_none(self.value_max[pos]),
            "period_start": [day_to_date(d) for d in self.ps[pos].tolist()],
            "period_end": [day_to_date(d) for d in self.pe[pos].tolist()],
            "figure_text": self.figure_text.take(idx).to_pylist(),
            "doc_id": self.doc_id.take(doc_idx).to_pylist(),
            "doc_title": self.doc_title.take(doc_idx).to_pylist(),
            "doc_url": self.doc_url.take(doc_idx).to_pylist(),
            "doc_published": [day_to_date(d) for d in self.doc_published[docs].tolist()],
            # the same dates as day numbers (NO_DATE when missing), for vectorised date arithmetic
            "ps_days": self.ps[pos].tolist(),
            "pe_days": self.pe[pos].tolist(),
            "pub_days": self.doc_published[docs].tolist(),
            "outlet": [self.outlet_levels[o] if o >= 0 else "" for o in self.doc_outlet[docs].tolist()],
        }

    def frame(self, pos: np.ndarray) -> pd.DataFrame:
        """`columns` as a DataFrame."""
        return pd.DataFrame(self.columns(pos))

    def position(self, claim_id: str) -> int | None:
        """The snapshot position of a claim (a linear scan in C: a few milliseconds at a million)."""
        i = pc.index(self.claim_id, pa.scalar(claim_id, pa.string())).as_py() if self.n else -1
        return None if i < 0 else int(i)

    def same_statements(self, pos: int) -> np.ndarray:
        """Rows of the same pair, indicator and period as the row at `pos` (itself excluded)."""
        m = ((self._pair_code == self._pair_code[pos]) & (self.codes["indicator"] == self.codes["indicator"][pos])
             & (self.codes["period"] == self.codes["period"][pos]))
        m[pos] = False
        return m

    def claim_ids(self, pos: np.ndarray) -> list[str]:
        return self.claim_id.take(pa.array(pos, type=pa.int64())).to_pylist()

    # ---------------------------------------------------------------- pages: pairs, their series, sources
    # Each has its SQL twin in dashboard/queries.py (same arguments, same frame); tests/dashboard/test_units.py
    # compares the two.

    def _year_rows(self) -> np.ndarray:
        """Rows whose period is one whole calendar year that was over when the article was published."""
        if not hasattr(self, "_whole_year"):
            periods = self.levels["period"]
            is_year = np.array([len(p) == 4 and p.isdigit() for p in periods] + [False], dtype=bool)
            partial = (self._published != NO_DATE) & (self.pe > self._published)
            self._whole_year = is_year[self.codes["period"]] & ~partial
        return self._whole_year

    def annual(self, m: np.ndarray, indicator: str, unit: str) -> pd.DataFrame:
        """One actual level per pair and year, by ANNUAL_RULE: among the figures of a whole calendar year
        (not a year so far), the one in the most recently published article (then by doc_id, then the
        first in its text). Columns ANNUAL_COLUMNS, by pair and year."""
        cand = (
            m & self._year_rows()
            & (self.codes["indicator"] == self._code_of("indicator", indicator))
            & (self.codes["unit"] == self._code_of("unit", unit))
            & (self.codes["kind"] == self._code_of("kind", "level"))
            & (self.codes["modality"] == self._code_of("modality", Modality.ACTUAL.value))
        )
        pos = self.newest(cand)  # table order: newest article first
        year = self.ps[pos].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        key = self._pair_code[pos].astype(np.int64) * 10_000 + year
        _, first = np.unique(key, return_index=True)  # sorted by pair code, then year
        chosen = pos[first]
        cols = self.columns(chosen)
        out = pd.DataFrame({
            "country_a": cols["country_a"], "country_b": cols["country_b"],
            "year": year[first].astype(np.int64), "claim_id": cols["claim_id"], "value": cols["value"],
        })
        return out  # np.unique's order: pair code (both countries' codes, alphabetical), then year

    def pair_ranking(self, m: np.ndarray, indicator: str, unit: str) -> pd.DataFrame:
        """The pairs of the matching claims, most statements first: statements, articles, and the latest
        year of the `annual` series of (indicator, unit) with its value and the year before's
        (RANKING_COLUMNS)."""
        if not m.any():
            return pd.DataFrame({c: [] for c in RANKING_COLUMNS})
        base = int(self._pair_code.min())
        codes = self._pair_code[m] - base
        statements = np.bincount(codes)
        present = np.flatnonzero(statements)
        ndocs = max(int(self.doc_published.size), 1)
        pair_doc = np.unique(codes.astype(np.int64) * ndocs + self.doc[m])
        articles = np.bincount(pair_doc // ndocs, minlength=statements.size)
        nc = len(self.levels["country_a"])
        lv = self.levels["country_a"]
        rows = []
        for code in present.tolist():
            a, b = divmod(code + base, nc + 1)
            rows.append((lv[a], lv[b], int(statements[code]), int(articles[code])))
        out = pd.DataFrame(rows, columns=["country_a", "country_b", "statements", "articles"])
        return _with_latest(out, self.annual(m, indicator, unit))

    def sources(self, m: np.ndarray) -> pd.DataFrame:
        """Outlets of the matching claims ("" without a URL): statements and articles, most first
        (SOURCE_COLUMNS)."""
        if not m.any():
            return pd.DataFrame({c: [] for c in SOURCE_COLUMNS})
        docs = self.doc[m]
        outlet = self.doc_outlet[docs]
        no = len(self.outlet_levels)
        code = np.where(outlet >= 0, outlet, no)
        statements = np.bincount(code, minlength=no + 1)
        udocs = np.unique(docs)
        uo = self.doc_outlet[udocs]
        articles = np.bincount(np.where(uo >= 0, uo, no), minlength=no + 1)
        names = [*self.outlet_levels, ""]
        rows = [(names[i], int(statements[i]), int(articles[i])) for i in np.flatnonzero(statements).tolist()]
        out = pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))
        # "" and None are one outlet: a document without a URL
        out = out.groupby("outlet", as_index=False, sort=False).sum()
        return out.sort_values(["statements", "outlet"], ascending=[False, True], ignore_index=True)


ANNUAL_COLUMNS = ("country_a", "country_b", "year", "claim_id", "value")
RANKING_COLUMNS = ("country_a", "country_b", "statements", "articles", "claim_id", "year", "value", "prev_value")
SOURCE_COLUMNS = ("outlet", "statements", "articles")


def _with_latest(counts: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """Pair counts joined with each pair's latest year of its annual series and the year before's value
    (None unless that year is on the series too); most statements first, then by pair."""
    latest = annual.groupby(["country_a", "country_b"], sort=False).tail(1)
    prev = annual.assign(year=annual["year"] + 1).rename(columns={"value": "prev_value"})
    latest = latest.merge(prev[["country_a", "country_b", "year", "prev_value"]], how="left",
                          on=["country_a", "country_b", "year"])
    out = counts.merge(latest, how="left", on=["country_a", "country_b"])
    out = out.sort_values(["statements", "country_a", "country_b"], ascending=[False, True, True], ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    return out[list(RANKING_COLUMNS)]
