"""The official statistics beside the news (issue 12): a line per reporting side on a pair's chart and a
claim's gap to them. Self-contained so that the pages can take it in with two calls; the SQL is in
dashboard/queries.py (`official_lines`, `claim_gap`).

    layer = official.official_layer(queries.official_lines(con, "CHN", "KAZ", "trade_turnover"))
    chart = alt.layer(news_chart, layer) if layer is not None else news_chart
    note = official.gap_caption(queries.claim_gap(con, claim_id))
"""
from __future__ import annotations

import altair as alt
import pandas as pd


def official_layer(lines: pd.DataFrame, value_scale: float = 1.0) -> alt.Chart | None:
    """Dashed lines of the official figures, one per reporter ('KAZ's report'), at mid-year; None when
    there are none. `value_scale` divides the values as the news chart's axis does (1e9 for billions)."""
    if lines is None or lines.empty:
        return None
    df = lines.assign(value=lines["value_usd"] / value_scale,
                      line=lines["reporter"] + "'s report (official)",
                      date=pd.to_datetime(lines["mid_year"]))
    return (
        alt.Chart(df)
        .mark_line(point=True, strokeDash=[6, 3], opacity=0.8)
        .encode(
            x=alt.X("date:T"),
            y=alt.Y("value:Q"),
            detail="line:N",
            strokeDash=alt.StrokeDash("line:N", legend=alt.Legend(title="Official statistics")),
            tooltip=[alt.Tooltip("line:N", title="source"), alt.Tooltip("year:Q"),
                     alt.Tooltip("value_usd:Q", title="USD", format=",.0f"), alt.Tooltip("source_file:N", title="file")],
        )
    )


def gap_caption(gap: dict | None) -> str:
    """'Official statistics 2023: vs KAZ's report: +8 %; vs CHN's: −3 %', or '' without a gap."""
    if not gap or not gap.get("gap_note"):
        return ""
    return f"Official statistics {gap['official_year']}: {gap['gap_note']}"
