"""Diplomacy events of one pair (issue 11): a timeline and yearly counts, separate from the claims' pages.

`timeline_data` places each event at its date (the first day `date` covers) and an undated one at its
article's publication date, flagged `undated` so the page can list it apart; `timeline_chart` draws
them: shape by type, colour by level, planned events hollow, the undated ones on a row of their own
below the types, and a click selects an event (`SELECTION`, its `event_id`) so the page can show its
sentence as it does a figure's. `yearly_counts` gives the
indicators analysts count: visits by level, talks, calls, and documents signed (the sum of the
signings' counts), actual dated events only. Nothing here reads Streamlit: the page wires it in."""
from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.i18n import Lang, t
from etl.vocabulary import EVENT_TYPE_LABELS, EVENT_TYPES, LEVEL_LABELS, LEVELS

SELECTION = "event"  # name of the point selection; the page reads the picked event_id back
_SHAPES = {"visit": "triangle-up", "talks": "circle", "call": "diamond", "signing": "square", "relations": "cross"}
_LEVEL_COLOURS = {"head_of_state": "#b2182b", "head_of_government": "#ef8a62", "minister": "#67a9cf",
                  "other": "#999999"}


def _t(key: str, lang: Lang) -> str:
    return t(f"ev_{key}", lang)  # the labels live in dashboard/i18n.py, keys prefixed 'ev_'


def timeline_data(events: pd.DataFrame, lang: Lang = "en") -> pd.DataFrame:
    """One row per event with what the chart encodes: `when`, `undated`, labels of type and level, the
    chart's `row` (the type's, or the undated events' own), `filled` (actual) and the tooltip's text. Events with neither a date nor a published article are
    left out (there is nowhere to put them)."""
    if events.empty:
        return pd.DataFrame(columns=["event_id", "when", "undated", "type", "type_label", "level", "level_label",
                                     "row", "modality", "filled", "status", "sentence", "doc_title", "count"])
    df = events.copy()
    dated = pd.to_datetime(df["date_start"])
    published = pd.to_datetime(df["doc_published"])
    df["undated"] = dated.isna()
    df["when"] = dated.fillna(published)
    df = df[df["when"].notna()].copy()
    df["type_label"] = [EVENT_TYPE_LABELS[t][lang] for t in df["type"]]
    df["level_label"] = [LEVEL_LABELS[lv][lang] for lv in df["level"]]
    df["row"] = [_t("undated_row", lang) if u else x for u, x in zip(df["undated"], df["type_label"])]
    df["filled"] = df["modality"] == "actual"
    df["status"] = [_t("undated", lang) if u else _t(m, lang) for u, m in zip(df["undated"], df["modality"])]
    df["count"] = df["count"].astype("Int64")
    return df.reset_index(drop=True)


def timeline_chart(events: pd.DataFrame, lang: Lang = "en") -> alt.Chart:
    """Each event a mark at its date on the row of its type: shape by type, colour by level, planned
    hollow; undated ones at their article's date, faded, on a row of their own; clicking one selects its
    `event_id`."""
    data = timeline_data(events, lang)
    types = [EVENT_TYPE_LABELS[t][lang] for t in EVENT_TYPES]
    rows = types + ([_t("undated_row", lang)] if data["undated"].any() else [])
    levels = [LEVEL_LABELS[lv][lang] for lv in LEVELS]
    pick = alt.selection_point(name=SELECTION, fields=["event_id"], on="click", clear="dblclick")
    data = data.assign(when=data["when"].dt.strftime("%Y-%m-%d"))  # plain dates: no time zone in the JSON
    return (
        alt.Chart(data)
        .mark_point(size=140, strokeWidth=2)
        .encode(
            x=alt.X("when:T", title=_t("when", lang)),
            y=alt.Y("row:N", title=None, sort=rows, scale=alt.Scale(domain=rows), axis=alt.Axis(labelLimit=240)),
            shape=alt.Shape("type_label:N", title=_t("type", lang), sort=types, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=types, range=[_SHAPES[t] for t in EVENT_TYPES])),
            color=alt.Color("level_label:N", title=_t("level", lang), sort=levels, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=levels, range=[_LEVEL_COLOURS[lv] for lv in LEVELS])),
            # the same title as the colour's, so the two share one legend of the levels (a fill without a
            # legend took the colour's away with it)
            fill=alt.condition("datum.filled", alt.Color("level_label:N", sort=levels, title=_t("level", lang),
                               scale=alt.Scale(domain=levels, range=[_LEVEL_COLOURS[lv] for lv in LEVELS])),
                               alt.value("transparent")),
            opacity=alt.condition("datum.undated", alt.value(0.45), alt.value(1.0)),
            size=alt.condition(pick, alt.value(260), alt.value(140)),
            tooltip=[alt.Tooltip("when:T", title=_t("when", lang)), alt.Tooltip("type_label:N", title=_t("type", lang)),
                     alt.Tooltip("level_label:N", title=_t("level", lang)), alt.Tooltip("status:N", title=" "),
                     alt.Tooltip("count:Q", title=_t("count", lang)),
                     alt.Tooltip("sentence:N", title=_t("sentence", lang)),
                     alt.Tooltip("doc_title:N", title=_t("source", lang))],
        )
        .add_params(pick)
        .properties(height=40 * len(rows) + 90)  # and the legends below the rows
    )


def yearly_counts(events: pd.DataFrame, lang: Lang = "en") -> pd.DataFrame:
    """Per year of the event's date (actual, dated events): visits at each level, talks, calls and documents
    signed (the sum of the signings' counts; a signing without one adds nothing). Columns in that order,
    one row per year, zeros where nothing happened."""
    columns = [t("ev_visits", lang, level=LEVEL_LABELS[lv][lang]) for lv in LEVELS]
    columns += [_t("talks", lang), _t("calls", lang), _t("signed", lang)]
    if events.empty:
        return pd.DataFrame(columns=columns, dtype="int64").rename_axis(_t("year", lang))
    df = events[(events["modality"] == "actual") & events["date_start"].notna()].copy()
    df["year"] = pd.to_datetime(df["date_start"]).dt.year
    years = sorted(df["year"].unique())
    out = pd.DataFrame(0, index=pd.Index(years, name=_t("year", lang)), columns=columns, dtype="int64")
    visits = df[df["type"] == "visit"]
    for lv, col in zip(LEVELS, columns):
        out[col] = visits[visits["level"] == lv].groupby("year").size().reindex(years, fill_value=0).to_numpy()
    out[_t("talks", lang)] = df[df["type"] == "talks"].groupby("year").size().reindex(years, fill_value=0).to_numpy()
    out[_t("calls", lang)] = df[df["type"] == "call"].groupby("year").size().reindex(years, fill_value=0).to_numpy()
    signed = df[df["type"] == "signing"].groupby("year")["count"].sum(min_count=1)
    out[_t("signed", lang)] = signed.reindex(years).fillna(0).astype("int64").to_numpy()
    return out
