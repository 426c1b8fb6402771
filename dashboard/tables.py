"""The claims table in readable columns, and the CSV download built from the very same columns.

One function (`readable`) turns claim rows into what people read; the table shows its columns and the
CSV starts with them, then adds the sentence and the raw fields for whoever computes with the file."""
from __future__ import annotations

from functools import cache

import io
import math
import re
from datetime import date, datetime
from collections.abc import Mapping

import pandas as pd

from dashboard import i18n
from dashboard.filters import NO_OUTLET, Filters
from dashboard.i18n import Lang, t
from dashboard.views import safe_url
from etl import csvsafe

# (key of the readable column, i18n label key)
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("published", "col_published"),
    ("period", "col_period"),
    ("pair", "col_pair"),
    ("indicator", "col_indicator"),
    ("figure", "col_figure"),
    ("modality", "col_modality"),
    ("flow", "col_flow"),
    ("as_written", "col_as_written"),
    ("outlet", "col_outlet"),
    ("title", "col_title"),
    ("source", "col_source"),
)
# Columns whose text comes from the articles (and so may be written by anyone): the CSV neutralises
# formulas in these. The others are this program's own formatting of numbers and codes («+21 %»).
ARTICLE_TEXT = frozenset({"as_written", "outlet", "title", "source", "claim_id", "doc_id", "doc_url"})
RAW_COLUMNS = (
    "claim_id", "doc_id", "indicator", "country_a", "country_b", "flow_from", "value", "value_max", "unit",
    "kind", "comparator", "modality", "period", "period_start", "period_end", "doc_published", "doc_url",
    "extractor_version",
)


def _none(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT or (
        not isinstance(x, (str, bytes, list, tuple)) and pd.isna(x)
    )


def day(x: object) -> date | None:
    """A date from the snapshot (date) or from SQL (date, Timestamp); None when missing."""
    if _none(x):
        return None
    return x.date() if isinstance(x, (pd.Timestamp, datetime)) else x  # type: ignore[return-value]


def _opt(x: object) -> float | None:
    return None if _none(x) else float(x)  # type: ignore[arg-type]


def figure(row: dict, lang: Lang) -> str:
    return i18n.format_figure(
        float(row["value"]), str(row["unit"]), lang,
        kind=str(row["kind"]), comparator=str(row["comparator"]), value_max=_opt(row.get("value_max")),
    )


def _columns(rows: pd.DataFrame | Mapping[str, list]) -> dict[str, list]:
    """Columns as plain lists with None for missing values, whatever the source (snapshot or SQL)."""
    if isinstance(rows, pd.DataFrame):
        rows = {c: rows[c].tolist() for c in rows.columns}
    return {c: [None if _none(v) else v for v in values] for c, values in rows.items()}


def readable(rows: pd.DataFrame | Mapping[str, list], lang: Lang) -> pd.DataFrame:
    """Claim rows (snapshot columns or SQL rows) -> the table's columns, keyed by TABLE_COLUMNS keys,
    plus `claim_id` to map a selected row back to its claim. Each distinct value is formatted once."""
    c = _columns(rows)
    n = len(c["claim_id"])
    no_url = t("no_url", lang)
    date_ = cache(lambda d: i18n.format_date(d, lang))
    period = cache(lambda p, until: i18n.format_period(p, lang, until))
    indicator = cache(lambda x: i18n.indicator_label(str(x), lang))
    modality = cache(lambda x: i18n.modality_label(str(x), lang))
    fig = cache(lambda v, u, k, cmp, vmax: i18n.format_figure(float(v), str(u), lang, kind=str(k),
                                                              comparator=str(cmp), value_max=vmax))
    vmax = c.get("value_max", [None] * n)
    flow = c.get("flow_from", [None] * n)
    return pd.DataFrame({
        "published": [date_(d) for d in c["doc_published"]],
        "period": [period(p, i18n.partial_until(day(e), day(d), m))
                   for p, e, d, m in zip(c["period"], c.get("period_end", [None] * n), c["doc_published"], c["modality"])],
        "pair": [str(p) for p in c["pair"]],
        "indicator": [indicator(x) for x in c["indicator"]],
        "figure": [fig(*args) for args in zip(c["value"], c["unit"], c["kind"], c["comparator"], vmax)],
        "modality": [modality(x) for x in c["modality"]],
        "flow": ["" if f is None else str(f) for f in flow],
        "as_written": [str(x) for x in c["figure_text"]],
        "outlet": [str(o) if o else no_url for o in c["outlet"]],
        "title": ["" if x is None else str(x) for x in c["doc_title"]],
        "source": [safe_url(u) for u in c["doc_url"]],
        "claim_id": [str(x) for x in c["claim_id"]],
    })


# The grid's geometry (Streamlit's default row height; its header is one row): the table is as tall as
# its rows up to MAX_HEIGHT_PX, so a short result does not sit above an empty grid.
ROW_PX = 35
MAX_HEIGHT_PX = 420
_CHAR_PX, _PAD_PX = 7.5, 28  # an average character of the grid's font; cell padding and the sort icon
# The narrowest and widest a column is drawn: long text (titles, the figure as written) wraps to the
# widest and shows whole on hover; short columns (period, modality) are never cut.
_WIDTH_PX = {"title": (120, 300), "as_written": (90, 180), "source": (70, 80), "period": (70, 260)}
_WIDTH_DEFAULT_PX = (60, 200)


def table_height(n_rows: int) -> int:
    """The grid's height in pixels for `n_rows` rows: header and rows, at most MAX_HEIGHT_PX."""
    return min(MAX_HEIGHT_PX, ROW_PX * (max(n_rows, 1) + 1) + 3)


def column_widths(shown: pd.DataFrame, names: Mapping[str, str]) -> dict[str, int]:
    """A width in pixels for each table column, from its longest text (label or value), so that short
    columns show whole and long ones stay within their limit."""
    out = {}
    for key, _ in TABLE_COLUMNS:
        values = shown[key].dropna().astype(str) if key in shown else pd.Series([], dtype=str)
        longest = max([len(names.get(key, key)), *values.str.len().tolist()])
        lo, hi = _WIDTH_PX.get(key, _WIDTH_DEFAULT_PX)
        out[key] = int(min(hi, max(lo, longest * _CHAR_PX + _PAD_PX)))
    return out


def selected_row(selection: Mapping | None) -> int | None:
    """The row a click on the table selected: a row (its checkbox) or any cell of it."""
    selection = selection or {}
    rows = list(selection.get("rows") or [])
    if rows:
        return int(rows[0])
    cells = list(selection.get("cells") or [])
    return int(cells[0][0]) if cells else None


def labels(lang: Lang) -> dict[str, str]:
    return {key: t(label, lang) for key, label in TABLE_COLUMNS}


def csv_frame(rows: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The table's columns (same labels, same text) + the sentence + the raw fields."""
    shown = readable(rows, lang)
    df = shown[[k for k, _ in TABLE_COLUMNS]].rename(columns=labels(lang))
    df[t("col_source", lang)] = df[t("col_source", lang)].fillna("")
    df.insert(len(df.columns), t("col_sentence", lang), [str(x) for x in rows["sentence"].tolist()])
    for col in RAW_COLUMNS:
        values = rows[col] if col in rows else pd.Series([None] * len(rows))
        df[col] = [_raw(v, lang) for v in values]
    return df


def _raw(v: object, lang: Lang) -> object:
    if _none(v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()  # type: ignore[union-attr]
    if isinstance(v, float) and v.is_integer():
        return int(v) if abs(v) < 2**53 else v
    if isinstance(v, float):
        return CSV_DIALECT[lang][1].join(repr(v).split("."))
    return v


# (field separator, decimal mark) by language: a spreadsheet set to Russian reads ";" and "2,5" (with
# "," it puts each line in one column, and takes "2.5" for a date or text)
CSV_DIALECT: dict[str, tuple[str, str]] = {"en": (",", "."), "ru": (";", ",")}
# No-break spaces (the screen's "1,5 млрд", articles' "1 500"): a spreadsheet takes such a cell for text
_NO_BREAK = {"\u00a0": " ", "\u202f": " "}


def plain_spaces(text: object) -> object:
    return text.translate(str.maketrans(_NO_BREAK)) if isinstance(text, str) else text


def csv_bytes(rows: pd.DataFrame, lang: Lang) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Cyrillic right; separator and
    decimal mark of the language (`CSV_DIALECT`); plain spaces for no-break ones; text
    cells that a spreadsheet would run as formulas neutralised (etl/csvsafe.py)."""
    buf = io.StringIO()
    frame = csv_frame(rows, lang)
    names = labels(lang)
    untrusted = {names.get(k, k) for k in ARTICLE_TEXT} | {t("col_sentence", lang)}
    for col in frame.columns:
        frame[col] = frame[col].map(plain_spaces)
        if col in untrusted:
            frame[col] = frame[col].map(csvsafe.neutralise)
    frame.to_csv(buf, index=False, sep=CSV_DIALECT[lang][0], lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


_UNSAFE = re.compile(r"(?:[^A-Za-z0-9._-]|-)+")  # a run of anything else (or of dashes) becomes one dash
_NAME_MAX = 120


def csv_name(f: Filters) -> str:
    """The CSV's file name from the filters: `claims_KAZ-CHN_trade_turnover_2024.csv`; letters, digits,
    ".", "_" and "-" only (any file system, no quoting in a shell); `claims_all.csv` without filters."""
    parts: list[str] = []
    if f.country:
        parts.append("-".join((f.country, *f.partners)))
    parts += [f"{a}-{b}" for a, b in f.pairs]
    parts += list(f.indicators) + list(f.modalities)
    if f.year_from is not None and f.year_to is not None:
        parts.append(str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}-{f.year_to}")
    elif f.year_from is not None:
        parts.append(f"from-{f.year_from}")
    elif f.year_to is not None:
        parts.append(f"to-{f.year_to}")
    parts += ["no-url" if o == NO_OUTLET else o for o in f.outlets]
    if f.search:
        words = _UNSAFE.sub("-", f.search).strip("-._")
        parts.append(f"q-{words}" if words else "q")  # a Cyrillic search is named, not spelled
    stem = "_".join(p for p in (_UNSAFE.sub("-", x).strip("-") for x in parts) if p) or "all"
    return f"claims_{stem}"[:_NAME_MAX].rstrip("-_.") + ".csv"


def disagreements(chart_df: pd.DataFrame) -> pd.DataFrame:
    """Statements of the chart that share line, modality and period but not the figure: each group
    once, its figures side by side with their outlets (columns: line, period, modality, figures, claim_ids)."""
    cols = ["line", "period", "modality", "figures", "claim_ids"]
    if chart_df.empty:
        return pd.DataFrame(columns=cols)
    c = {k: chart_df[k].tolist() for k in
         ("line", "modality_label", "period_label", "figure", "outlet", "published", "claim_id", "y")}
    dated = chart_df["x_start"].notna().tolist()
    groups: dict[tuple, list[int]] = {}
    for i, d in enumerate(dated):
        if d:
            groups.setdefault((c["line"][i], c["modality_label"][i], c["period_label"][i]), []).append(i)
    out = []
    for (line, modality, period), rows in groups.items():
        if len({c["figure"][i] for i in rows}) < 2:
            continue
        rows.sort(key=lambda i: c["y"][i])
        figures = " · ".join(f"{c['figure'][i]} ({c['outlet'][i]}, {c['published'][i]})" for i in rows)
        out.append({"line": line, "period": period, "modality": modality, "figures": figures,
                    "claim_ids": [c["claim_id"][i] for i in rows]})
    return pd.DataFrame(out, columns=cols)


def csv_name_part(text: str) -> str:
    """Any text as a piece of a file name in safe characters (`csv_name`'s)."""
    return (_UNSAFE.sub("-", text).strip("-._") or "x")[:80]
