"""The claims table in readable columns, and the CSV download built from the very same columns.

One function (`readable`) turns claim rows into what people read; the table shows its columns and the
CSV starts with them, then adds the sentence and the raw fields for whoever computes with the file."""
from __future__ import annotations

import io
import math

import pandas as pd

from dashboard import i18n
from dashboard.i18n import Lang, t
from dashboard.views import safe_url

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
RAW_COLUMNS = (
    "claim_id", "doc_id", "indicator", "country_a", "country_b", "flow_from", "value", "value_max", "unit",
    "kind", "comparator", "modality", "period", "period_start", "period_end", "doc_published", "doc_url",
)


def _none(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT or (
        not isinstance(x, (str, bytes, list, tuple)) and pd.isna(x)
    )


def _opt(x: object) -> float | None:
    return None if _none(x) else float(x)  # type: ignore[arg-type]


def figure(row: dict, lang: Lang) -> str:
    return i18n.format_figure(
        float(row["value"]), str(row["unit"]), lang,
        kind=str(row["kind"]), comparator=str(row["comparator"]), value_max=_opt(row.get("value_max")),
    )


def readable(rows: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Claim rows (snapshot frame or SQL rows) -> the table's columns, keyed by TABLE_COLUMNS keys,
    plus `claim_id` to map a selected row back to its claim."""
    records = rows.to_dict("records")
    no_url = t("no_url", lang)
    out = pd.DataFrame({
        "published": [i18n.format_date(None if _none(r["doc_published"]) else r["doc_published"], lang) for r in records],
        "period": [i18n.format_period(None if _none(r["period"]) else r["period"], lang) for r in records],
        "pair": [str(r["pair"]) for r in records],
        "indicator": [i18n.indicator_label(str(r["indicator"]), lang) for r in records],
        "figure": [figure(r, lang) for r in records],
        "modality": [i18n.modality_label(str(r["modality"]), lang) for r in records],
        "flow": ["" if _none(r.get("flow_from")) else str(r["flow_from"]) for r in records],
        "as_written": [str(r["figure_text"]) for r in records],
        "outlet": [str(r["outlet"]) if not _none(r["outlet"]) and r["outlet"] else no_url for r in records],
        "title": ["" if _none(r["doc_title"]) else str(r["doc_title"]) for r in records],
        "source": [safe_url(None if _none(r["doc_url"]) else r["doc_url"]) for r in records],
        "claim_id": [str(r["claim_id"]) for r in records],
    })
    return out


def labels(lang: Lang) -> dict[str, str]:
    return {key: t(label, lang) for key, label in TABLE_COLUMNS}


def csv_frame(rows: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The table's columns (same labels, same text) + the sentence + the raw fields."""
    shown = readable(rows, lang)
    df = shown[[k for k, _ in TABLE_COLUMNS]].rename(columns=labels(lang))
    df[t("col_source", lang)] = df[t("col_source", lang)].fillna("")
    df.insert(len(df.columns), t("col_sentence", lang), rows["sentence"].astype(str).values)
    for col in RAW_COLUMNS:
        values = rows[col] if col in rows else pd.Series([None] * len(rows))
        df[col] = [_raw(v) for v in values]
    return df


def _raw(v: object) -> object:
    if _none(v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()  # type: ignore[union-attr]
    if isinstance(v, float) and v.is_integer():
        return int(v) if abs(v) < 2**53 else v
    return v


def csv_bytes(rows: pd.DataFrame, lang: Lang) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Cyrillic right."""
    buf = io.StringIO()
    csv_frame(rows, lang).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def disagreements(chart_df: pd.DataFrame) -> pd.DataFrame:
    """Statements of the chart that share line, modality and period but not the figure: each group
    once, its figures side by side with their outlets (columns: line, period, modality, figures, claim_ids)."""
    cols = ["line", "period", "modality", "figures", "claim_ids"]
    if chart_df.empty:
        return pd.DataFrame(columns=cols)
    dated = chart_df[chart_df["x_start"].notna()]
    out = []
    for (line, modality, period), g in dated.groupby(["line", "modality_label", "period_label"], sort=False):
        if g["figure"].nunique() < 2:
            continue
        g = g.sort_values("y")
        figures = " · ".join(f"{f} ({o}, {p})" for f, o, p in zip(g["figure"], g["outlet"], g["published"]))
        out.append({"line": line, "period": period, "modality": modality, "figures": figures,
                    "claim_ids": list(g["claim_id"])})
    return pd.DataFrame(out, columns=cols)
