"""Altair charts of one series (indicator, kind, unit) over time, and their PNG/SVG export.

Each point is one statement: a pair, a modality, a period, a value and its comparator. The same figure
repeated by several sources is one point ("stated in 3 sentences"); different figures for the same pair
and period stay separate points, one above the other, never averaged."""
from __future__ import annotations

from functools import cache

import hashlib
import io
import json
import math
from datetime import date

import altair as alt
import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.i18n import Lang, t
from dashboard.index import NO_DATE, Series

from etl.vocabulary import FLOW_INDICATORS, MODALITIES
SELECTION = "pick"  # name of the point selection; the page reads it back from the chart's state
_SHAPES = {"actual": "circle", "target": "triangle-up", "forecast": "diamond"}
_ARROW = "→"


def _nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def line_label(row: dict) -> str:
    """What a colour stands for: the pair, or the direction 'KAZ→RUS' for flows with a known origin."""
    a, b, src = row["country_a"], row["country_b"], row.get("flow_from")
    if row["indicator"] in FLOW_INDICATORS and not _nan(src) and src in (a, b):
        return f"{src}{_ARROW}{b if src == a else a}"
    return f"{a}–{b}"


def axis_scale(series: Series, values: pd.Series, lang: Lang) -> tuple[float, str]:
    """(divisor, axis title): money and tonnes in mn/bn so the axis reads '1.5' not '1500000000'."""
    if series.unit in ("%", "x", "count") or values.empty:
        title = {"%": "%", "x": "×", "count": ""}.get(series.unit, series.unit)
        return 1.0, title
    top = float(values.abs().max())
    factor = 1.0
    word = ""
    for f, en, ru in ((1e12, "tn", "трлн"), (1e9, "bn", "млрд"), (1e6, "mn", "млн")):
        if top >= f:
            factor, word = f, (ru if lang == "ru" else en)
            break
    unit = i18n.format_amount(1, series.unit, lang).split(i18n.NBSP)[-1] if series.unit == "t" else series.unit
    return factor, " ".join(x for x in (word, unit) if x)


def _days(days: list[int]) -> np.ndarray:
    """Day numbers since 1970 (NO_DATE for none) -> datetime64[D] with NaT."""
    a = np.array(days, dtype=np.int64)
    return np.where(a == NO_DATE, np.datetime64("NaT"), a.astype("datetime64[D]"))


def chart_data(cols: dict[str, list], series: Series, lang: Lang,
               scale: tuple[float, str] | None = None) -> tuple[pd.DataFrame, str]:
    """Snapshot columns of one series (`ClaimIndex.columns`) -> one row per statement with everything
    the chart encodes, and the y-axis title. Rows without a period sit at their article's date.

    Plain Python over at most a few hundred rows (pandas row access costs more than the work), with
    each distinct period, pair, date and figure formatted once."""
    rows = [dict(zip(cols, values)) for values in zip(*cols.values())]
    if not rows:
        return pd.DataFrame(), ""
    # newest source first, so a statement's representative is its most recent sentence
    rows.sort(key=lambda r: (r["doc_published"] or date.min, r["claim_id"]), reverse=True)
    statements: dict[tuple, dict] = {}
    for r in rows:
        r["line"] = line_label(r)
        dated = r["period_start"] is not None
        key = (r["line"], r["modality"], r["period"], r["value"], r["value_max"], r["comparator"],
               "" if dated else r["claim_id"])  # a figure without a period is its own statement
        if key in statements:
            statements[key]["n_sources"] += 1
        else:
            statements[key] = {**r, "dated": dated, "n_sources": 1}
    reps = list(statements.values())
    factor, y_title = scale or axis_scale(series, pd.Series([r["value"] for r in reps]), lang)
    no_url, no_period = t("no_url", lang), t("no_period", lang)
    pair_name = cache(lambda line: i18n.pair_label(line.replace(_ARROW, "–"), lang).split(" · ", 1)[-1])
    modality = cache(lambda m: i18n.modality_label(m, lang))
    period = cache(lambda p, until: i18n.format_period(p, lang, until))
    published = cache(lambda d: i18n.format_date(d, lang))
    figure = cache(lambda v, c, vmax: i18n.format_figure(v, series.unit, lang, kind=series.kind, comparator=c,
                                                          value_max=vmax))
    dated = [r["dated"] for r in reps]
    # a figure of a period not over when it was published covers that period up to the publication only
    until = [i18n.partial_until(r["period_end"], r["doc_published"], r["modality"]) if d else None
             for r, d in zip(reps, dated)]
    start = _days([r["ps_days"] if d else r["pub_days"] for r, d in zip(reps, dated)])
    end = _days([r["pub_days"] if u else r["pe_days"] if d else r["pub_days"] for r, d, u in zip(reps, dated, until)])
    so_far = t("partial_mark", lang)
    out = {
        "claim_id": [r["claim_id"] for r in reps],
        "line": [r["line"] for r in reps],
        "pair_label": [pair_name(r["line"]) for r in reps],
        "modality": [r["modality"] for r in reps],
        "modality_label": [modality(r["modality"]) for r in reps],
        "x": start + (end - start) // 2,  # the middle of the period, or the day of publication
        "x_start": np.where(dated, start, np.datetime64("NaT")),
        "x_end": np.where(dated, end, np.datetime64("NaT")),
        "y": np.array([r["value"] for r in reps]) / factor,
        "y2": np.array([np.nan if r["value_max"] is None else r["value_max"] for r in reps]) / factor,
        "figure": [figure(r["value"], r["comparator"], r["value_max"]) for r in reps],
        "figure_text": [r["figure_text"] for r in reps],
        "mark": [" ".join(x for x in (i18n.comparator_symbol(r["comparator"]), so_far if u else "") if x)
                 for r, u in zip(reps, until)],
        "partial": [u is not None for u in until],
        "exact": [r["comparator"] == "eq" for r in reps],
        "period_label": [period(r["period"], u) if d else no_period for r, d, u in zip(reps, dated, until)],
        "outlet": [r["outlet"] or no_url for r in reps],
        "published": [published(r["doc_published"]) for r in reps],
        "title": [(r["doc_title"] or "")[:90] for r in reps],
        "n_sources": [r["n_sources"] for r in reps],
    }
    return pd.DataFrame(out), y_title


def series_chart(series: Series, y_title: str, lang: Lang, many_lines: bool = False,
                 lines: list[str] | None = None) -> alt.LayerChart:
    """Value by period, without data (attach it with `with_data`, or let Streamlit send it as Arrow):
    colour = pair (or direction), shape = modality, hollow = not an exact figure (its comparator sign
    beside it), a faint bar = the span of time the figure covers.

    Nothing here depends on the points themselves, so the spec is built once per series and language:
    building an Altair chart costs more than a whole filter change is allowed to."""
    scheme = alt.Scale(scheme="tableau20" if many_lines else "tableau10")
    if lines is not None:  # each pair in its fixed colour (`colour`)
        domain = sorted(set(lines))
        scheme = alt.Scale(domain=domain, range=[colour(x) for x in domain])
    color = alt.Color(
        "line:N", title=t("legend_pair", lang), scale=scheme,
        legend=alt.Legend(orient="bottom", columns=5, symbolLimit=40, symbolOpacity=1, symbolType="circle"),
    )
    x = alt.X("x:T", title=t("axis_period", lang))
    y = alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=series.kind == "level"))
    pick = alt.selection_point(name=SELECTION, fields=["claim_id"], on="click", empty=False)
    base = alt.Chart()
    span = base.transform_filter("isValid(datum.x_start)").mark_rule(strokeWidth=4, opacity=0.25).encode(
        x="x_start:T", x2="x_end:T", y="y:Q", color=color,
    )
    ranges = base.transform_filter("isValid(datum.y2)").mark_rule(strokeDash=[3, 2]).encode(
        x="x:T", y="y:Q", y2="y2:Q", color=color,
    )
    modalities = MODALITIES
    points = base.mark_point(filled=True, strokeWidth=1.6, opacity=1).encode(
        x=x,
        y=y,
        color=color,
        stroke=alt.Stroke("line:N", scale=scheme, legend=None),  # a hollow (non-exact) figure keeps its outline
        shape=_modality_shape(modalities, lang),
        fillOpacity=alt.condition("datum.exact", alt.value(0.9), alt.value(0.12)),
        size=alt.condition(pick, alt.value(260), alt.value(90)),
        tooltip=[alt.Tooltip("pair_label:N", title=t("tt_pair", lang)), *_statement_tooltips(lang)],
    ).add_params(pick)
    marks = base.transform_filter("datum.mark != ''").mark_text(
        dx=9, align="left", fontSize=13, fontWeight="bold",
    ).encode(x=x, y=y, text="mark:N", color=color)
    time_locale = i18n.vega_time_locale(lang)
    locale = {"number": i18n.vega_number_locale(lang), **({"time": time_locale} if time_locale else {})}
    return alt.layer(span, ranges, points, marks).properties(height=380).configure(locale=locale)


def vega_spec(chart: alt.LayerChart) -> dict:
    """The chart as a Vega-Lite dict without data, for `st.vega_lite_chart(data, spec)`.

    Skipping Streamlit's Altair path also skips its schema validation of the whole spec on every rerun
    (over 100 ms); our specs are built by this module from fixed parts, so validation buys nothing."""
    spec = chart.properties(data=alt.InlineData(values=[])).to_dict(validate=False)
    spec.pop("data", None)
    spec.pop("datasets", None)
    spec.get("config", {}).pop("view", None)  # Altair's default 300×300 view fights Streamlit's width
    return spec


def retitle(spec: dict, y_title: str, many_lines: bool, zero: bool = True) -> dict:
    """A copy of a cached spec with this chart's y-axis title, colour scheme and whether the axis starts
    at zero: the only parts that vary between charts, so one Altair build per language serves them all."""
    scheme = "tableau20" if many_lines else "tableau10"

    def walk(node: object) -> object:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        enc = out.get("encoding")
        if isinstance(enc, dict):
            if isinstance(enc.get("y"), dict) and enc["y"].get("field") == "y":
                enc["y"] = {**enc["y"], "title": y_title, "scale": {**enc["y"].get("scale", {}), "zero": zero}}
            for channel in ("color", "stroke"):
                if isinstance(enc.get(channel), dict) and isinstance(enc[channel].get("scale"), dict):
                    enc[channel] = {**enc[channel], "scale": {**enc[channel]["scale"], "scheme": scheme}}
        return out

    return walk(spec)  # type: ignore[return-value]


def with_data(chart: alt.LayerChart, data: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """The chart with its points and a title, as a standalone file needs them."""
    return chart.properties(data=data, width=820, title=title)


def titled_spec(spec: dict, data: pd.DataFrame, title: str, subtitle: list[str]) -> dict:
    """A page's chart spec (already retitled and coloured) as a standalone file: its data inline, a
    title, and the filters and source line below the title (as `titled`)."""
    values = json.loads(data.to_json(orient="records", date_format="iso"))
    return {**spec, "data": {"values": values}, "width": 820,
            "title": {"text": title, "subtitle": subtitle, "anchor": "start", "subtitleColor": "#555",
                      "subtitleFontSize": 11}}


def export(chart: alt.TopLevelMixin | dict, fmt: str) -> bytes:
    """The chart as PNG or SVG (vl-convert, no browser). Called only when a download is asked for."""
    if isinstance(chart, dict):
        import vl_convert as vlc

        return vlc.vegalite_to_png(chart, scale=2) if fmt == "png" else vlc.vegalite_to_svg(chart).encode("utf-8")
    buf: io.BytesIO | io.StringIO = io.BytesIO() if fmt == "png" else io.StringIO()
    chart.save(buf, format=fmt, scale_factor=2) if fmt == "png" else chart.save(buf, format=fmt)
    data = buf.getvalue()
    return data if isinstance(data, bytes) else data.encode("utf-8")


# ---------------------------------------------------------------- colours fixed per pair

# Tableau 20: a pair's colour is picked by a hash of its name, so it is the same in every view, session
# and database version (two pairs may share one; the legend and the tooltips name them).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8", "#fabfd2",
           "#d7b5a6", "#79706e")


def colour(line: str) -> str:
    """The fixed colour of a pair ('KAZ–CHN', 'KAZ-CHN') or a direction ('KAZ→CHN')."""
    key = line.replace("-", "–").encode("utf-8")
    return PALETTE[int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big") % len(PALETTE)]


def fixed_colours(spec: dict, lines: list[str]) -> dict:
    """A copy of a chart spec whose colour and stroke scales map each line to its fixed colour."""
    domain = sorted(set(lines))
    scale = {"domain": domain, "range": [colour(x) for x in domain]}

    def walk(node: object) -> object:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        enc = out.get("encoding")
        if isinstance(enc, dict):
            for channel in ("color", "stroke"):
                if isinstance(enc.get(channel), dict) and isinstance(enc[channel].get("scale"), dict):
                    enc[channel] = {**enc[channel], "scale": scale}
        return out

    return walk(spec)  # type: ignore[return-value]


# ---------------------------------------------------------------- a pair page's chart of one indicator

_PAIR_COLOUR = "#010101"  # placeholder in the cached spec, replaced by the pair's colour


def pair_chart(lang: Lang) -> alt.LayerChart:
    """One indicator of one pair: the line of one value per year (`ClaimIndex.annual`; its values go into
    the line's layer, `pair_spec`), every statement behind it as a point (click: its page), targets and
    forecasts as their own shapes, a faint bar for the span a figure covers. Without data, built once
    per language (see `series_chart`)."""
    pick = alt.selection_point(name=SELECTION, fields=["claim_id"], on="click", empty=False)
    x = alt.X("x:T", title=t("axis_period", lang))
    y = alt.Y("y:Q", title="", scale=alt.Scale(type="linear", zero=False))
    base = alt.Chart()
    line = base.mark_line(strokeWidth=2.5, color=_PAIR_COLOUR).encode(x=x, y=y).properties(name=_LINE)
    span = base.transform_filter("isValid(datum.x_start)").mark_rule(
        strokeWidth=4, opacity=0.2, color=_PAIR_COLOUR).encode(x="x_start:T", x2="x_end:T", y="y:Q")
    points = base.mark_point(filled=True, strokeWidth=1.6, color=_PAIR_COLOUR, opacity=1).encode(
        x=x, y=y,
        shape=_modality_shape(MODALITIES, lang),
        fillOpacity=alt.condition("datum.exact", alt.value(0.85), alt.value(0.12)),
        size=alt.condition(pick, alt.value(260), alt.value(80)),
        tooltip=_statement_tooltips(lang),
    ).add_params(pick)
    time_locale = i18n.vega_time_locale(lang)
    locale = {"number": i18n.vega_number_locale(lang), **({"time": time_locale} if time_locale else {})}
    return alt.layer(span, line, points).properties(height=300).configure(locale=locale)


_LINE = "yearly_line"


def pair_spec(base: dict, y_title: str, colour_: str, log: bool, line: list[dict]) -> dict:
    """A copy of the cached `pair_chart` spec with this chart's axis title, colour, scale type and the
    yearly line's values (its own inline data: the page's data are the points)."""

    def walk(node: object) -> object:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if isinstance(node, str):
            return colour_ if node == _PAIR_COLOUR else node
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        if out.get("name") == _LINE:
            out["data"] = {"values": line}
        enc = out.get("encoding")
        if isinstance(enc, dict) and isinstance(enc.get("y"), dict) and enc["y"].get("field") == "y":
            enc["y"] = {**enc["y"], "title": y_title,
                        "scale": {**enc["y"].get("scale", {}), "type": "log" if log else "linear"}}
        return out

    return walk(base)  # type: ignore[return-value]


def pair_scale(points: dict[str, list], annual: pd.DataFrame, series: Series, lang: Lang,
               extra: list[float] | None = None) -> tuple[float, str]:
    """(divisor, axis title) of a pair's chart: its statements, its yearly line and any `extra` values
    drawn on the same axis (the official statistics), so that all of them read in one unit."""
    raw = pd.Series([*points["value"], *annual["value"].tolist(), *(extra or [])], dtype=float)
    return axis_scale(series, raw, lang)


def pair_data(points: dict[str, list], annual: pd.DataFrame, series: Series, lang: Lang,
              scale: tuple[float, str] | None = None) -> tuple[pd.DataFrame, list[dict], str]:
    """The statements (`chart_data`), the yearly line's values and the axis title, on one scale
    (`pair_scale`'s unless given)."""
    scale = scale or pair_scale(points, annual, series, lang)
    pts, _ = chart_data(points, series, lang, scale)
    line = [{"x": f"{y}-07-02", "y": v / scale[0], "claim_id": c}
            for y, v, c in zip(annual["year"].tolist(), annual["value"].tolist(), annual["claim_id"].tolist())]
    return pts, line, scale[1]


def titled(chart: alt.TopLevelMixin, data: pd.DataFrame, title: str, subtitle: list[str]) -> alt.TopLevelMixin:
    """The chart as a standalone file needs it: its data, a title naming what it shows and the filters,
    and a source line with the date below it (`subtitle`)."""
    return chart.properties(data=data, width=820, title=alt.TitleParams(
        text=title, subtitle=subtitle, anchor="start", subtitleColor="#555", subtitleFontSize=11))


def _modality_shape(modalities, lang: Lang) -> alt.Shape:
    """A statement's mark by its modality (actual, target, forecast), the same in every chart."""
    return alt.Shape(
        "modality_label:N", title=t("legend_modality", lang),
        scale=alt.Scale(domain=[i18n.modality_label(m, lang) for m in modalities],
                        range=[_SHAPES[m] for m in modalities]),
        legend=alt.Legend(orient="top", symbolFillColor="#555", symbolOpacity=1),
    )


def _statement_tooltips(lang: Lang) -> list[alt.Tooltip]:
    """What a statement's point says when hovered, in every chart of statements."""
    return [
        alt.Tooltip("figure:N", title=t("tt_figure", lang)),
        alt.Tooltip("figure_text:N", title=t("tt_as_written", lang)),
        alt.Tooltip("period_label:N", title=t("tt_period", lang)),
        alt.Tooltip("modality_label:N", title=t("tt_modality", lang)),
        alt.Tooltip("outlet:N", title=t("tt_outlet", lang)),
        alt.Tooltip("published:N", title=t("col_published", lang)),
        alt.Tooltip("title:N", title=t("tt_title", lang)),
        alt.Tooltip("n_sources:Q", title=t("tt_sources", lang)),
    ]
