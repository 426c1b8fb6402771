"""The official statistics beside the news (issue 12): a line per reporting side on a pair's chart and a
claim's gap to them. Self-contained so that the pages can take it in with two calls; the SQL is in
dashboard/queries.py (`official_lines`, `claim_gap`), the cached access in dashboard/extras.py.

    layer = official.official_layer(queries.official_lines(con, "CHN", "KAZ", "trade_turnover"))
    spec = official.overlay(news_spec, layer)   # the pair page's chart is a Vega-Lite dict
    note = official.gap_caption(queries.claim_gap(con, claim_id), "en", ("CHN", "KAZ"))
"""
from __future__ import annotations

import math
from pathlib import PurePath

import altair as alt
import pandas as pd

from dashboard import i18n
from dashboard.i18n import Lang, t

OFFICIAL_LINE = "official_lines"  # the layer's name, so tests and exports can find it in a spec


def official_layer(lines: pd.DataFrame, value_scale: float = 1.0, lang: Lang = "en",
                   direction: str = "") -> alt.Chart | None:
    """Dashed lines of the official figures, one per reporter ('KAZ's report'), at mid-year; None when
    there are none. `value_scale` divides the values as the news chart's axis does (1e9 for billions);
    the fields are the news chart's `x` and `y`, so the two layers share their axes and titles.
    `direction` ('KAZ→CHN') is added to each line's name on an export/import chart."""
    if lines is None or lines.empty:
        return None
    names = [t("official_line", lang, reporter=r) + (f", {direction}" if direction else "") for r in lines["reporter"]]
    df = pd.DataFrame({
        "x": pd.to_datetime(lines["mid_year"]).dt.strftime("%Y-%m-%d"),  # plain dates: no time zone in the JSON
        "y": lines["value_usd"].astype(float) / value_scale,
        "official": names, "year": lines["year"].astype(int), "value_usd": lines["value_usd"].astype(float),
        "source_file": lines["source_file"],
    })
    return (
        alt.Chart(df)
        .mark_line(point=True, strokeDash=[6, 3], opacity=0.8, color="#555555")
        .encode(
            x=alt.X("x:T"),
            y=alt.Y("y:Q"),
            detail="official:N",
            strokeDash=alt.StrokeDash("official:N", legend=alt.Legend(title=t("official_legend", lang),
                                                                      orient="bottom")),
            tooltip=[alt.Tooltip("official:N", title=t("official_legend", lang)), alt.Tooltip("year:Q"),
                     alt.Tooltip("value_usd:Q", title="USD", format=",.0f"), alt.Tooltip("source_file:N", title="file")],
        )
        .properties(name=OFFICIAL_LINE)
    )


def overlay(spec: dict, layers: list[alt.Chart]) -> dict:
    """A copy of a layered Vega-Lite spec (the pair page's chart) with `layers` appended, each carrying
    its own inline data: the page's data stay the news points."""
    if not layers:
        return spec
    extra = []
    for layer in layers:
        d = layer.to_dict(validate=False)
        datasets = d.pop("datasets", {})
        d["data"] = {"values": datasets[d["data"]["name"]]}
        for key in ("$schema", "config"):
            d.pop(key, None)
        extra.append(d)
    return {**spec, "layer": [*spec["layer"], *extra]}


def source_files(lines: list[pd.DataFrame]) -> str:
    """The files the lines came from, by name, once each ('a.csv; b.csv'): the store keeps the path as
    given on the command line, which says nothing to a reader of the chart beyond the name."""
    files = sorted({PurePath(f.strip()).name for df in lines for x in df["source_file"] for f in str(x).split(";")
                    if f.strip()})
    return "; ".join(files)


def _pct(p: float, lang: Lang) -> str:
    """'+8 %', '−11 %': halves away from zero, as the store's `gap_note` rounds (Python's round() would
    give −10 for −10.5)."""
    whole = math.copysign(math.floor(abs(p) + 0.5), p)
    return f"{'+' if whole > 0 else ''}{i18n.format_number(whole, lang, 0)}{i18n.NBSP}%"


def gap_caption(gap: dict | None, lang: Lang = "en", pair: tuple[str, str] | None = None) -> str:
    """'Official statistics 2023: vs KAZ's report: +8 %; vs CHN's report: −3 %', or '' without a gap.
    Worded here rather than taken from `gap_note` (SQL, English only) so that both languages read it."""
    if not gap:
        return ""
    parts = []
    if pair is not None:
        for side, key in zip(pair, ("gap_a_pct", "gap_b_pct")):
            p = gap.get(key)
            if p is not None and not (isinstance(p, float) and math.isnan(p)):
                parts.append(t("official_gap_vs", lang, reporter=side, pct=_pct(float(p), lang)))
    note = "; ".join(parts) if parts else (gap.get("gap_note") or "")
    if not note:
        return ""
    return t("official_gap", lang, year=gap["official_year"], note=note)
