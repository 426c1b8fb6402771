"""Data for every view: CSV and JSON of exactly what the view shows, and a ZIP with the data and a README
(title, filters, units, sources, how values were chosen, caveats, the view's URL, the date), as Our World
in Data's downloads have; and the one export control of a chart (PNG or SVG, titled).

Everything is built only when a button is pressed (Streamlit's deferred download data), so a view costs
nothing for the downloads it offers."""
from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts, tables
from dashboard.i18n import Lang, t
from etl import csvsafe


@dataclass(frozen=True)
class Bundle:
    """A view's data and what a reader needs to use it."""

    stem: str  # file names: {stem}.csv, {stem}.json, {stem}.zip
    title: str
    filters: list[str]  # plain-language lines; empty: the whole database
    url: str  # the dashboard URL of the view
    data: pd.DataFrame  # exactly the rows the view shows, as its CSV
    units: str
    method: str  # how values were chosen
    caveats: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # outlets with counts
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)  # further tables: {name: rows}
    csv: bytes | None = None  # the data's CSV when the view has its own (`tables.csv_bytes`); else `csv_bytes`
    trusted: frozenset[str] = frozenset()  # columns of our own text, never read as formulas (all others are)
    lang: Lang = "en"
    day: date = field(default_factory=date.today)


def csv_bytes(frame: pd.DataFrame, lang: Lang, trusted: frozenset[str] = frozenset()) -> bytes:
    """The CSV dialect of `tables.csv_bytes` (BOM, the language's separator and decimal mark, plain spaces,
    text a spreadsheet would run as a formula neutralised, except in `trusted` columns) for any frame."""
    sep, dec = tables.CSV_DIALECT[lang]
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(lambda v: _cell(v, dec, col not in trusted))
    buf = io.StringIO()
    out.to_csv(buf, index=False, sep=sep, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def _cell(v: object, dec: str, untrusted: bool) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else dec.join(repr(v).split("."))
    if isinstance(v, str):
        v = tables.plain_spaces(v)
        return csvsafe.neutralise(v) if untrusted else v
    if hasattr(v, "isoformat"):
        return v.isoformat()  # type: ignore[union-attr]
    return v


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def json_bytes(b: Bundle) -> bytes:
    doc = {
        "title": b.title, "filters": b.filters, "url": b.url, "date": b.day.isoformat(), "units": b.units,
        "method": b.method, "caveats": b.caveats, "sources": b.sources, "data": _records(b.data),
        **{name: _records(frame) for name, frame in b.extra.items()},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def readme(b: Bundle) -> str:
    lang = b.lang
    lines = [f"# {b.title}", "", f"{t('r_date', lang)}: {b.day.isoformat()}", f"{t('r_url', lang)}: {b.url}", "",
             f"## {t('r_filters', lang)}", ""]
    lines += [f"- {x}" for x in b.filters] or [f"- {t('r_no_filters', lang)}"]
    lines += ["", f"## {t('r_files', lang)}", "", f"- `{b.stem}.csv`: {t('r_data_file', lang, n=len(b.data))}"]
    lines += [f"- `{b.stem}_{name}.csv`" for name in b.extra]
    lines += ["", f"## {t('r_units', lang)}", "", b.units, "", f"## {t('r_method', lang)}", "", b.method]
    if b.caveats:
        lines += ["", f"## {t('r_caveats', lang)}", ""] + [f"- {c}" for c in b.caveats]
    if b.sources:
        lines += ["", f"## {t('r_sources', lang)}", ""] + [f"- {s}" for s in b.sources]
    lines += ["", t("r_about", lang), ""]
    return "\n".join(lines)


def data_csv(b: Bundle) -> bytes:
    return b.csv if b.csv is not None else csv_bytes(b.data, b.lang, b.trusted)


def zip_bytes(b: Bundle) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{b.stem}.csv", data_csv(b))
        for name, frame in b.extra.items():
            z.writestr(f"{b.stem}_{name}.csv", csv_bytes(frame, b.lang))
        z.writestr("README.md", readme(b))
    return buf.getvalue()


def controls(bundle: Callable[[], Bundle], stem: str, lang: Lang, key: str, where=st,
             csv: Callable[[], bytes] | None = None) -> None:
    """CSV, JSON and ZIP of a view, side by side; `bundle` runs only when one is pressed. `csv` makes the
    CSV alone without the rest of the bundle (the explorer's: the same bytes as in its ZIP)."""
    c1, c2, c3 = where.columns(3)
    c1.download_button(t("download_csv", lang), data=csv or (lambda: data_csv(bundle())),
                       file_name=f"{stem}.csv", mime="text/csv", on_click="ignore", icon=":material/download:",
                       type="primary", key=f"{key}_csv", width="stretch")
    c2.download_button("JSON", data=lambda: json_bytes(bundle()), file_name=f"{stem}.json",
                       mime="application/json", on_click="ignore", key=f"{key}_json", width="stretch",
                       help=t("download_json", lang))
    c3.download_button("ZIP", data=lambda: zip_bytes(bundle()), file_name=f"{stem}.zip", mime="application/zip",
                       on_click="ignore", key=f"{key}_zip", width="stretch", help=t("download_zip", lang),
                       icon=":material/folder_zip:")


def source_line(lang: Lang, url: str, day: date | None = None) -> str:
    return t("chart_source", lang, url=url, date=(day or date.today()).isoformat())


def chart_export(full: Callable[[], alt.TopLevelMixin], stem: str, lang: Lang, key: str, where=st) -> None:
    """The one export control of a chart: a menu with PNG and SVG of the titled chart (`charts.titled`)."""
    with where.popover(t("export_chart", lang), icon=":material/download:"):
        st.download_button("PNG", data=lambda: charts.export(full(), "png"), help=t("download_png", lang),
                           file_name=f"{stem}.png", mime="image/png", on_click="ignore", icon=":material/image:",
                           key=f"{key}_png", width="stretch")
        st.download_button("SVG", data=lambda: charts.export(full(), "svg"), help=t("download_svg", lang),
                           file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore",
                           icon=":material/polyline:", key=f"{key}_svg", width="stretch")
