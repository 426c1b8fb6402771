"""Every SQL statement of the dashboard, against the store's tables and its `claims_with_source` view.

Values always travel as bound parameters or registered Arrow tables; the only text spliced into SQL is
this module's own constants. Each function takes an open connection and returns plain data, so the
benchmark and the tests call them without Streamlit.

The per-change work (which claims match, counts, ordering) is done on the in-memory snapshot
(`dashboard.index`) that `load_snapshot` reads once per database version; SQL here reads that snapshot,
the rows actually shown (by primary key), one document, the CSV, and the sentence search."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import search
from dashboard.filters import Filters, year_bounds
from dashboard.index import CODE_COLUMNS, ClaimIndex

# The outlet is the host of the article's URL without "www."; "" when there is no URL.
_HOST_SQL = "split_part(split_part(coalesce({url}, ''), '://', 2), '/', 1)"


def outlet_sql(url_column: str) -> str:
    host = _HOST_SQL.format(url=url_column)
    return f"(CASE WHEN starts_with({host}, 'www.') THEN {host}[5:] ELSE {host} END)"


_DAYS = "(CAST({col} AS DATE) - DATE '1970-01-01')::INTEGER"


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # A cursor per call: the connection is shared by every session's thread, and one DuckDB
    # connection object must not run two statements at once.
    return con.cursor()


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    with _cursor(con) as cur:
        return cur.execute(sql, params or []).fetchall()


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    with _cursor(con) as cur:
        return cur.execute(sql, params or []).df()


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Raise duckdb.Error if the file is not a claims store (tables or view missing)."""
    _rows(con, "SELECT claim_id, doc_title, doc_url, pair FROM claims_with_source LIMIT 0")


def _documents(con: duckdb.DuckDBPyConnection) -> pa.Table:
    with _cursor(con) as cur:
        return cur.sql(
            f"""
            SELECT doc_id, {_DAYS.format(col='published')} AS published, title, url, {outlet_sql('url')} AS outlet
            FROM documents ORDER BY doc_id
            """
        ).to_arrow_table()


def load_snapshot(con: duckdb.DuckDBPyConnection) -> ClaimIndex:
    """Read the claims into a `ClaimIndex`: codes instead of strings.

    The documents (read on a second cursor meanwhile: DuckDB releases the GIL), the distinct values of
    each coded column, then one pass over the claims joined to their documents (the same inner join as
    `claims_with_source`); a document's position is its rank by doc_id in both statements. Sorting is
    left to numpy, which orders integer keys faster than DuckDB sorts rows carrying strings."""
    with ThreadPoolExecutor(1) as pool, _cursor(con) as cur:
        docs = pool.submit(_documents, con)
        # one scan for the distinct values of every coded column; the column names are constants
        lists = cur.execute(
            "SELECT list(DISTINCT country_a) || list(DISTINCT country_b), "
            + ", ".join(f"list(DISTINCT {col})" for col in CODE_COLUMNS[2:])
            + " FROM claims"
        ).fetchall()[0]
        countries = sorted({x for x in (lists[0] or []) if x is not None})
        levels: dict[str, list[str]] = {"country_a": countries, "country_b": countries}
        for col, values in zip(CODE_COLUMNS[2:], lists[1:]):
            levels[col] = sorted(v for v in (values or []) if v is not None)
        code_cols = ", ".join(
            f"(coalesce(list_position(?::VARCHAR[], c.{col}), 0) - 1)::SMALLINT AS {col}" for col in CODE_COLUMNS
        )
        claims = cur.sql(
            f"""
            SELECT {code_cols},
                   c.value, c.value_max,
                   {_DAYS.format(col='c.period_start')} AS ps, {_DAYS.format(col='c.period_end')} AS pe,
                   d.k AS doc, c.span_start AS span, c.claim_id, c.figure_text
            FROM claims c
            JOIN (SELECT doc_id, (row_number() OVER (ORDER BY doc_id) - 1)::INTEGER AS k FROM documents) d
            USING (doc_id)
            """,
            params=[levels[col] for col in CODE_COLUMNS],
        ).to_arrow_table()
        return ClaimIndex(claims, levels, docs.result())


# ---------------------------------------------------------------- rows actually shown

_CLAIM_COLUMNS = (
    "claim_id", "doc_id", "indicator", "country_a", "country_b", "flow_from", "value", "value_max", "unit", "kind",
    "comparator", "modality", "period", "period_start", "period_end", "figure_text", "span_start", "span_end",
    "sentence", "sentence_start", "sentence_end", "extractor_version", "trace",
)
DETAIL_COLUMNS = _CLAIM_COLUMNS + ("pair", "doc_title", "doc_published", "doc_url", "outlet")


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def claims_by_id(con: duckdb.DuckDBPyConnection, claim_ids: list[str]) -> pd.DataFrame:
    """Full rows (sentence and source included) of these claims, in the order given.

    Claims and their documents are read separately, each by its primary key with one placeholder per
    id: DuckDB then answers from the key index (about a tenth of a millisecond per row), where the
    view's join would scan every document."""
    if not claim_ids:
        return pd.DataFrame(columns=list(DETAIL_COLUMNS))
    with _cursor(con) as cur:
        claims = cur.execute(
            f"SELECT {', '.join(_CLAIM_COLUMNS)} FROM claims WHERE claim_id IN ({_marks(len(claim_ids))})",
            list(claim_ids),
        ).df()
        doc_ids = list(dict.fromkeys(claims["doc_id"].tolist()))
        docs = cur.execute(
            f"SELECT doc_id, title AS doc_title, published AS doc_published, url AS doc_url, "
            f"{outlet_sql('url')} AS outlet FROM documents WHERE doc_id IN ({_marks(len(doc_ids))})",
            doc_ids,
        ).df() if doc_ids else pd.DataFrame(columns=["doc_id", "doc_title", "doc_published", "doc_url", "outlet"])
    df = claims.merge(docs, on="doc_id", how="inner")  # the view's inner join
    df["pair"] = df["country_a"] + "–" + df["country_b"]
    order = {cid: i for i, cid in enumerate(claim_ids)}
    df = df.sort_values("claim_id", key=lambda s: s.map(order)).reset_index(drop=True)
    return df[list(DETAIL_COLUMNS)]


def claims_in_order(con: duckdb.DuckDBPyConnection, claim_ids: list[str]) -> pd.DataFrame:
    """Like `claims_by_id` for many rows (the CSV): a join with the ids as a registered Arrow table,
    ordered by their position in the list."""
    ids = pa.table({"claim_id": pa.array(claim_ids, pa.string()),
                    "pos": pa.array(np.arange(len(claim_ids)), pa.int64())})
    cols = ", ".join(f"c.{c}" for c in DETAIL_COLUMNS if c != "outlet")
    with _cursor(con) as cur:
        cur.register("wanted_ids", ids)
        return cur.execute(
            f"SELECT {cols}, {outlet_sql('c.doc_url')} AS outlet "
            "FROM claims_with_source c JOIN wanted_ids w USING (claim_id) ORDER BY w.pos"
        ).df()


def claim(con: duckdb.DuckDBPyConnection, claim_id: str) -> dict | None:
    df = claims_by_id(con, [claim_id])
    return None if df.empty else df.iloc[0].to_dict()


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict | None:
    df = _df(
        con,
        f"SELECT doc_id, title, url, published, published_inferred, outlet_country, text, source, "
        f"{outlet_sql('url')} AS outlet FROM documents WHERE doc_id = ?",
        [doc_id],
    )
    return None if df.empty else df.iloc[0].to_dict()


def document_claims(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    return _df(
        con,
        "SELECT claim_id, indicator, country_a, country_b, value, value_max, unit, kind, comparator, modality, "
        "period, figure_text, span_start, span_end FROM claims WHERE doc_id = ? ORDER BY span_start, claim_id",
        [doc_id],
    )


# ---------------------------------------------------------------- sentence search

def _register_positions(cur: duckdb.DuckDBPyConnection, claim_ids: pa.Array) -> None:
    """Make the snapshot's claim ids and positions joinable as `snapshot_ids` (this cursor only)."""
    cur.register("snapshot_ids", pa.table({"claim_id": claim_ids, "pos": pa.array(np.arange(len(claim_ids)))}))


# A sentence folded as `search.fold` folds a query (lower case, ё as е), and split into words: the scan
# and the word index read sentences through these two, so they agree.
FOLDED_SENTENCE = "replace(lower({col}), 'ё', 'е')"
WORD_SPLIT = r"regexp_split_to_array({s}, '[^\p{{L}}\p{{N}}]+')"


def search_scan(con: duckdb.DuckDBPyConnection, tokens: list[str], claim_ids: pa.Array) -> np.ndarray:
    """Positions (in the snapshot whose ids are `claim_ids`) of the claims whose sentence holds every
    token (`search.tokens`): inside the folded sentence, or one of its words a form of the token
    (`search.forms`). A full scan of the sentences."""
    if not tokens:
        return np.zeros(0, dtype=np.int64)
    cond = " AND ".join(["(contains(s, ?) OR list_has_any(w, ?::VARCHAR[]))"] * len(tokens))
    params: list = []
    for tok in tokens:
        params += [tok, list(search.forms(tok))]
    folded = FOLDED_SENTENCE.format(col="sentence")
    with _cursor(con) as cur:
        _register_positions(cur, claim_ids)
        rows = cur.execute(
            f"SELECT p.pos FROM (SELECT claim_id FROM (SELECT claim_id, s, {WORD_SPLIT.format(s='s')} AS w "
            f"FROM (SELECT claim_id, {folded} AS s FROM claims)) WHERE {cond}) c JOIN snapshot_ids p USING (claim_id)",
            params,
        ).fetchall()
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def search_vocabulary(con: duckdb.DuckDBPyConnection, claim_ids: pa.Array) -> pa.Table:
    """Every lower-cased word of every sentence with the snapshot positions of the claims whose sentence
    has it: the inverted index behind a fast search (columns `word`, `positions`)."""
    with _cursor(con) as cur:
        _register_positions(cur, claim_ids)
        return cur.sql(
            f"""
            SELECT word, list(DISTINCT pos) AS positions
            FROM (SELECT p.pos, unnest({WORD_SPLIT.format(s=FOLDED_SENTENCE.format(col='c.sentence'))}) AS word
                  FROM claims c JOIN snapshot_ids p USING (claim_id))
            WHERE word <> ''
            GROUP BY word
            """
        ).to_arrow_table()


# ---------------------------------------------------------------- diplomacy events (dashboard/events.py)

EVENT_COLUMNS = ("event_id", "doc_id", "type", "country_a", "country_b", "host", "level", "date", "date_start",
                 "date_end", "modality", "count", "event_text", "span_start", "span_end", "sentence",
                 "sentence_start", "sentence_end", "extractor_version", "doc_title", "doc_published", "doc_url",
                 "outlet")


# the outlet as the claims name it (the host of the article's URL), so an event's provenance reads the same
_EVENT_SELECT = tuple(f"{outlet_sql('doc_url')} AS outlet" if c == "outlet" else c for c in EVENT_COLUMNS)


def pair_events(con: duckdb.DuckDBPyConnection, country_a: str, country_b: str) -> pd.DataFrame:
    """Every event of the pair (either order) from `events_with_source`, by date (undated ones by their
    article's date) then position; no rows from a store made before events existed."""
    a, b = sorted((country_a, country_b))
    try:
        return _df(
            con,
            f"SELECT {', '.join(_EVENT_SELECT)} FROM events_with_source WHERE country_a = ? AND country_b = ? "
            "ORDER BY coalesce(date_start, doc_published), doc_id, span_start, event_id",
            [a, b],
        )
    except duckdb.CatalogException:
        return pd.DataFrame(columns=list(EVENT_COLUMNS))


# ---------------------------------------------------------------- the explorer's events, an event's page
# Events are few (one per reported contact, against many figures per article): the explorer's events view
# asks DuckDB on every change, with no snapshot. A store made before events existed answers nothing.

EVENT_DETAIL_COLUMNS = EVENT_COLUMNS + ("pair", "trace")
_EVENT_ORDER = "ORDER BY coalesce(date_start, doc_published) DESC NULLS LAST, doc_id, span_start, event_id"


def _events_where(filters: Filters, types: tuple[str, ...], levels: tuple[str, ...],
                  modalities: tuple[str, ...]) -> tuple[str, list]:
    """The WHERE clause (over `events_with_source` with the folded sentence `s` and its words `w`) of
    the events `filters` (the explorer's: sides, years, outlets, sentence search) and the events' own
    filters select; the figures' indicators and modality do not apply."""
    where: list[str] = []
    params: list = []
    if filters.country:
        where.append("(country_a = ? OR country_b = ?)")
        params += [filters.country, filters.country]
        if filters.partners:
            where.append("list_contains(?::VARCHAR[], CASE WHEN country_a = ? THEN country_b ELSE country_a END)")
            params += [list(filters.partners), filters.country]
    if filters.pairs:
        where.append("list_contains(?::VARCHAR[], country_a || '-' || country_b)")
        params.append([f"{a}-{b}" for a, b in filters.pairs])
    for column, values in (("type", types), ("level", levels), ("modality", modalities)):
        if values:
            where.append(f"list_contains(?::VARCHAR[], {column})")
            params.append(list(values))
    lo, hi = year_bounds(filters)  # the years overlap the event's date; an undated event has none
    if lo is not None:
        where.append("coalesce(date_end, date_start) >= ?")
        params.append(lo)
    if hi is not None:
        where.append("date_start <= ?")
        params.append(hi)
    if filters.outlets:
        where.append(f"list_contains(?::VARCHAR[], {outlet_sql('doc_url')})")
        params.append(list(filters.outlets))
    toks = search.tokens(filters.search) or ([search.fold(filters.search.strip())] if filters.search.strip() else [])
    for tok in toks:  # the figures' rule (`search_scan`): inside the folded sentence, or a form of a word
        where.append("(contains(s, ?) OR list_has_any(w, ?::VARCHAR[]))")
        params += [tok, list(search.forms(tok))]
    return " AND ".join(where) or "TRUE", params


_SEARCHABLE = (f"(SELECT *, {WORD_SPLIT.format(s='s')} AS w FROM "
               f"(SELECT *, {FOLDED_SENTENCE.format(col='sentence')} AS s FROM events_with_source))")


def events(con: duckdb.DuckDBPyConnection, filters: Filters, types: tuple[str, ...] = (),
           levels: tuple[str, ...] = (), modalities: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every event the filters select, newest first (by its date; an undated one by its article's),
    with `pair`: `EVENT_COLUMNS` + `pair`."""
    where, params = _events_where(filters, types, levels, modalities)
    source = _SEARCHABLE if filters.search.strip() else "events_with_source"
    try:
        return _df(con, f"SELECT {', '.join(_EVENT_SELECT)}, pair FROM {source} WHERE {where} {_EVENT_ORDER}",
                   params)
    except duckdb.CatalogException:
        return pd.DataFrame(columns=[*EVENT_COLUMNS, "pair"])


def event(con: duckdb.DuckDBPyConnection, event_id: str) -> dict | None:
    """One event with its article's provenance, its extractor and its trace (`EVENT_DETAIL_COLUMNS`)."""
    try:
        df = _df(con, f"SELECT {', '.join(_EVENT_SELECT)}, pair, trace "
                      "FROM events_with_source WHERE event_id = ?", [event_id])
    except duckdb.CatalogException:
        return None
    return None if df.empty else df.iloc[0].to_dict()


def document_events(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The events an article states, in text order (to mark them in the whole article)."""
    try:
        return _df(con, "SELECT event_id, type, level, modality, country_a, country_b, span_start, span_end "
                        "FROM events WHERE doc_id = ? ORDER BY span_start, event_id", [doc_id])
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["event_id", "type", "level", "modality", "country_a", "country_b",
                                     "span_start", "span_end"])


def event_options(con: duckdb.DuckDBPyConnection) -> dict:
    """What the events offer to filter on: their pairs, outlets, the years their dates cover, how many."""
    try:
        with _cursor(con) as cur:
            pairs = cur.execute("SELECT DISTINCT country_a, country_b FROM events ORDER BY ALL").fetchall()
            outlets = [r[0] for r in cur.execute(
                f"SELECT DISTINCT {outlet_sql('doc_url')} FROM events_with_source ORDER BY 1").fetchall()]
            lo, hi, n = cur.execute("SELECT min(year(date_start)), max(year(coalesce(date_end, date_start))), "
                                    "count(*) FROM events").fetchone()
    except duckdb.CatalogException:
        return {"pairs": [], "outlets": [], "years": None, "n": 0}
    return {"pairs": [(a, b) for a, b in pairs], "outlets": outlets,
            "years": None if lo is None else (int(lo), int(hi)), "n": int(n)}


# ---------------------------------------------------------------- official statistics (issue 12)
# Read by dashboard/official.py. A store made before official statistics existed has none of these
# views: the functions then return nothing rather than fail.

_OFFICIAL_LINES_SQL = """
SELECT statistic, flow_from, reporter, year, value_usd, make_date(year, 7, 1) AS mid_year, source_file
FROM official_figures
WHERE country_a = ? AND country_b = ? AND statistic = ? AND flow_from IS NOT DISTINCT FROM ?
ORDER BY reporter, year
"""


def official_lines(con: duckdb.DuckDBPyConnection, country_a: str, country_b: str, indicator: str,
                   flow_from: str | None = None) -> pd.DataFrame:
    """The official figures of a pair for one trade indicator, one line per reporting side: turnover, or
    the flow from `flow_from` (an export or import). Empty for other indicators or without statistics."""
    if indicator == "trade_turnover":
        statistic, flow_from = "turnover", None
    elif indicator in ("export", "import") and flow_from:
        statistic = "flow"
    else:
        return pd.DataFrame(columns=["statistic", "flow_from", "reporter", "year", "value_usd", "mid_year", "source_file"])
    try:
        return _df(con, _OFFICIAL_LINES_SQL, [country_a, country_b, statistic, flow_from])
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["statistic", "flow_from", "reporter", "year", "value_usd", "mid_year", "source_file"])


def claim_gap(con: duckdb.DuckDBPyConnection, claim_id: str) -> dict | None:
    """A claim's gaps to the official figures of its year (claim_gaps' row), or None."""
    try:
        with _cursor(con) as cur:
            cur.execute("SELECT * FROM claim_gaps WHERE claim_id = ?", [claim_id])
            names = [d[0] for d in cur.description]
            row = cur.fetchone()
    except duckdb.CatalogException:
        return None
    return dict(zip(names, row)) if row else None


# ---------------------------------------------------------------- pages: pairs, their series, sources
# The SQL statement of each view the pages show. The pages answer from the snapshot (`ClaimIndex.annual`,
# `.pair_ranking`, `.sources`), which must give the same frames: tests/dashboard/test_units.py compares.

def _scope(country: str | None, pair: tuple[str, str] | None) -> tuple[str, list]:
    """The WHERE clause of the claims a page is about: one country's pairs, one pair, or all."""
    if pair is not None:
        return "c.country_a = ? AND c.country_b = ?", list(pair)
    if country is not None:
        return "(c.country_a = ? OR c.country_b = ?)", [country, country]
    return "TRUE", []


# the claims of a scope with their article's publication date
_SCOPED = "SELECT c.*, d.published FROM claims c JOIN documents d USING (doc_id) WHERE {where}"

# `ClaimIndex.annual`'s rule: actual levels of a whole calendar year not published before it was over;
# per pair and year the most recently published (then doc_id, then the first in the text)
_ANNUAL = """
    SELECT country_a, country_b, CAST(year(period_start) AS BIGINT) AS year, claim_id, value
    FROM scoped
    WHERE indicator = ? AND unit = ? AND kind = 'level' AND modality = 'actual'
      AND regexp_full_match(period, '[0-9]{4}') AND NOT (published IS NOT NULL AND period_end > published)
    QUALIFY row_number() OVER (PARTITION BY country_a, country_b, year
                               ORDER BY published DESC NULLS LAST, doc_id, span_start) = 1
"""


def annual(con: duckdb.DuckDBPyConnection, indicator: str, unit: str, *, country: str | None = None,
           pair: tuple[str, str] | None = None) -> pd.DataFrame:
    where, params = _scope(country, pair)
    return _df(
        con,
        f"WITH scoped AS ({_SCOPED.format(where=where)}) {_ANNUAL} ORDER BY country_a, country_b, year",
        params + [indicator, unit],
    )


def pair_ranking(con: duckdb.DuckDBPyConnection, indicator: str, unit: str, *,
                 country: str | None = None) -> pd.DataFrame:
    where, params = _scope(country, None)
    return _df(
        con,
        f"""
        WITH scoped AS ({_SCOPED.format(where=where)}),
        line AS ({_ANNUAL}),
        latest AS (SELECT * FROM line QUALIFY row_number() OVER (PARTITION BY country_a, country_b
                                                                  ORDER BY year DESC) = 1),
        counts AS (SELECT country_a, country_b, count(*) AS statements, count(DISTINCT doc_id) AS articles
                   FROM scoped GROUP BY country_a, country_b)
        SELECT n.country_a, n.country_b, n.statements, n.articles, l.claim_id, l.year, l.value,
               p.value AS prev_value
        FROM counts n
        LEFT JOIN latest l USING (country_a, country_b)
        LEFT JOIN line p ON p.country_a = n.country_a AND p.country_b = n.country_b AND p.year = l.year - 1
        ORDER BY n.statements DESC, n.country_a, n.country_b
        """,
        params + [indicator, unit],
    )


def sources(con: duckdb.DuckDBPyConnection, *, country: str | None = None,
            pair: tuple[str, str] | None = None) -> pd.DataFrame:
    where, params = _scope(country, pair)
    return _df(
        con,
        f"""
        SELECT {outlet_sql('d.url')} AS outlet, count(*) AS statements, count(DISTINCT c.doc_id) AS articles
        FROM claims c JOIN documents d USING (doc_id) WHERE {where}
        GROUP BY ALL ORDER BY statements DESC, outlet
        """,
        params,
    )
