"""`python -m etl official import FILE...`: official bilateral trade statistics -> `official_trade`.

Three layouts, told apart by their header:

* **comtrade**: UN Comtrade final data as CSV (the API's and the bulk files' columns: `refYear`,
  `reporterISO`, `partnerISO`, `flowCode`, `cmdCode`, `customsCode`, `motCode`, `partner2Code`,
  `primaryValue`, …). A country total is `cmdCode` TOTAL, `customsCode` C00, `motCode` 0, `partner2Code` 0,
  `flowCode` X or M, an annual figure (`freqCode` A when the column is there) and a country as partner
  (not W00, the world).
* **wits**: the World Bank WITS wide CSV: `Reporter Name`, `Partner Name` (or `Reporter ISO3`, `Partner
  ISO3`), `Trade Flow` (Export / Import), `Product Group`, `Indicator` (`… (US$ Thousand)`), then a column
  per year. A country total is `Product Group` «All Products» with a country as partner (not «World»); an
  indicator that is not a value in US$ (shares, counts) is not a figure of trade.
* **plain**: `reporter, partner, flow, year, value_usd` (flow X / M, or export / import), in any order.

Every row is validated; a bad one is reported as `file:line: reason` and skipped, everything else is stored.
Rows that are not country totals are counted and skipped without complaint (they are in every download).
"""
from __future__ import annotations

import csv
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

LAYOUTS = ("comtrade", "wits", "plain")
ISO3 = re.compile(r"[A-Z]{3}")
YEAR_MIN, YEAR_MAX = 1900, 2100
FLOWS = {"x": "X", "m": "M", "export": "X", "import": "M", "exports": "X", "imports": "M"}
# World Bank names that are not the short English names the dashboard uses
WORLD_BANK_NAMES = {
    "russian federation": "RUS", "kyrgyz republic": "KGZ", "iran, islamic rep.": "IRN", "korea, rep.": "KOR",
    "korea, dem. rep.": "PRK", "egypt, arab rep.": "EGY", "turkiye": "TUR", "turkey": "TUR", "viet nam": "VNM",
    "vietnam": "VNM", "china": "CHN", "hong kong, china": "HKG", "slovak republic": "SVK", "czech republic": "CZE",
    "lao pdr": "LAO", "syrian arab republic": "SYR", "yemen, rep.": "YEM", "venezuela, rb": "VEN",
    "united states": "USA", "united kingdom": "GBR", "moldova": "MDA", "belarus": "BLR", "kazakhstan": "KAZ",
    "uzbekistan": "UZB", "tajikistan": "TJK", "turkmenistan": "TKM", "azerbaijan": "AZE", "armenia": "ARM",
    "georgia": "GEO", "mongolia": "MNG", "ukraine": "UKR", "india": "IND", "germany": "DEU", "japan": "JPN",
}
WORLD = {"W00", "WLD", "world"}


@dataclass(frozen=True)
class Figure:
    reporter: str
    partner: str
    flow: str  # X | M
    year: int
    value_usd: float
    line: int


@dataclass
class FileResult:
    path: str
    layout: str | None = None
    figures: list[Figure] = field(default_factory=list)
    not_totals: int = 0
    bad: list[str] = field(default_factory=list)  # "file:line: reason"
    error: str | None = None  # the whole file could not be read


class BadRow(ValueError):
    pass


def detect_layout(header: list[str]) -> str | None:
    names = {h.strip().lower() for h in header}
    if {"refyear", "reporteriso", "partneriso", "flowcode", "primaryvalue"} <= names:
        return "comtrade"
    if "trade flow" in names and ({"reporter name", "reporter iso3"} & names) and any(
            re.fullmatch(r"\d{4}", h.strip()) for h in header):
        return "wits"
    if {"reporter", "partner", "flow", "year", "value_usd"} <= names:
        return "plain"
    return None


def _iso(value: str, what: str) -> str:
    code = value.strip().upper()
    if not ISO3.fullmatch(code):
        raise BadRow(f"{what} {value!r} is not an ISO 3166-1 alpha-3 code")
    return code


def _year(value: str) -> int:
    try:
        year = int(value.strip())
    except ValueError:
        raise BadRow(f"year {value!r} is not a year") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadRow(f"year {year} is out of range ({YEAR_MIN}–{YEAR_MAX})")
    return year


def _value(value: str, scale: float = 1.0) -> float:
    text = value.strip().replace(",", "").replace(" ", "")
    try:
        v = float(text) * scale
    except ValueError:
        raise BadRow(f"value {value!r} is not a number") from None
    if not math.isfinite(v) or v < 0:
        raise BadRow(f"value {value!r} is not a finite amount of 0 or more")
    return v


def _flow(value: str) -> str:
    flow = FLOWS.get(value.strip().lower())
    if flow is None:
        raise BadRow(f"flow {value!r} is neither X (export) nor M (import)")
    return flow


class NotTotal(Exception):
    """A row that is not a country's total trade with a country (a product, a mode of transport, the world)."""


def _comtrade(row: dict[str, str]) -> Iterator[tuple[str, str, str, int, float]]:
    def col(name: str) -> str:
        return (row.get(name) or "").strip()

    if col("freqCode") not in ("", "A"):
        raise NotTotal
    if col("cmdCode").upper() != "TOTAL" or col("customsCode") not in ("", "C00") \
            or col("motCode") not in ("", "0") or col("partner2Code") not in ("", "0"):
        raise NotTotal
    if col("flowCode").upper() not in ("X", "M") or col("partnerISO").upper() in WORLD or col("partnerCode") == "0":
        raise NotTotal
    yield (_iso(col("reporterISO"), "reporterISO"), _iso(col("partnerISO"), "partnerISO"), col("flowCode").upper(),
           _year(col("refYear")), _value(col("primaryValue")))


def _plain(row: dict[str, str]) -> Iterator[tuple[str, str, str, int, float]]:
    def col(name: str) -> str:
        return (row.get(name) or "").strip()

    if col("partner").upper() in WORLD or col("partner").lower() in WORLD:
        raise NotTotal
    yield (_iso(col("reporter"), "reporter"), _iso(col("partner"), "partner"), _flow(col("flow")),
           _year(col("year")), _value(col("value_usd")))


_NAMES: dict[str, str] | None = None


def _country_code(name: str, what: str) -> str:
    """A WITS country name (or code) -> ISO alpha-3."""
    global _NAMES
    text = name.strip()
    if ISO3.fullmatch(text):
        return text
    if _NAMES is None:
        _NAMES = dict(WORLD_BANK_NAMES)
        try:  # the dashboard's English names of every code the lexicon knows
            from dashboard import country_names, i18n

            _NAMES.update({n.lower(): code for code, n in country_names.ENGLISH.items()})
            _NAMES.update({names[0].lower(): code for code, names in i18n._COUNTRY_NAMES.items()
                           if ISO3.fullmatch(code)})
        except Exception:  # an installed package without the dashboard still reads codes and the names above
            pass
    code = _NAMES.get(text.lower())
    if code is None:
        raise BadRow(f"{what} {name!r} is not a country this project knows (give ISO3 columns)")
    return code


def _wits(row: dict[str, str], years: list[str]) -> Iterator[tuple[str, str, str, int, float]]:
    def col(*names: str) -> str:
        for n in names:
            if row.get(n):
                return row[n].strip()
        return ""

    partner_text = col("Partner ISO3", "Partner Name")
    if col("Product Group").lower() not in ("all products", "total", "") or partner_text.lower() in WORLD \
            or partner_text.upper() in WORLD:
        raise NotTotal
    indicator = col("Indicator")
    m = re.search(r"US\$\s*(Thousand|Mil(?:lion)?)?", indicator, re.I)
    flow_text = col("Trade Flow")
    if not m or flow_text.lower() not in ("export", "import", "exports", "imports"):
        raise NotTotal  # shares, counts of products, gross re-exports: not the total's value
    scale = {"thousand": 1e3, "mil": 1e6, "million": 1e6}.get((m.group(1) or "").lower(), 1.0)
    reporter = _country_code(col("Reporter ISO3", "Reporter Name"), "reporter")
    partner = _country_code(partner_text, "partner")
    flow = _flow(flow_text)
    for y in years:
        cell = (row.get(y) or "").strip()
        if cell in ("", "..", "NA"):
            continue  # no figure that year
        try:
            yield reporter, partner, flow, _year(y), _value(cell, scale)
        except BadRow as e:
            raise BadRow(f"column {y}: {e}") from None


def read_file(path: str) -> FileResult:
    """Every country total of one file, and what was wrong with the rest."""
    result = FileResult(path)
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as e:
        result.error = f"{path}: cannot read it: {e.strerror or e}"
        return result
    with f:
        try:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                result.error = f"{path}: empty file"
                return result
            layout = detect_layout(header)
            if layout is None:
                result.error = (f"{path}:1: unknown layout (expected UN Comtrade's columns refYear, reporterISO, "
                                f"partnerISO, flowCode, primaryValue…; WITS' Reporter Name, Partner Name, Trade Flow, "
                                f"a column per year; or reporter, partner, flow, year, value_usd)")
                return result
            result.layout = layout
            header = [h.strip() for h in header]
            if layout == "plain":
                header = [h.lower() for h in header]
            years = [h for h in header if re.fullmatch(r"\d{4}", h)]
            seen: dict[tuple[str, str, str, int], Figure] = {}
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    result.bad.append(f"{path}:{line}: {len(cells)} fields, the header has {len(header)}")
                    continue
                row = dict(zip(header, cells))
                try:
                    if layout == "comtrade":
                        found = list(_comtrade(row))
                    elif layout == "wits":
                        found = list(_wits(row, years))
                    else:
                        found = list(_plain(row))
                    for reporter, partner, flow, year, value in found:
                        if reporter == partner:
                            raise BadRow(f"reporter and partner are both {reporter}")
                except NotTotal:
                    result.not_totals += 1
                    continue
                except BadRow as e:
                    result.bad.append(f"{path}:{line}: {e}")
                    continue
                for reporter, partner, flow, year, value in found:
                    key = (reporter, partner, flow, year)
                    fig = Figure(reporter, partner, flow, year, value, line)
                    if key in seen and seen[key].value_usd != value:
                        result.bad.append(f"{path}:{line}: {reporter}'s {'exports to' if flow == 'X' else 'imports from'}"
                                          f" {partner} in {year} again, with another value (line {seen[key].line} "
                                          f"is kept)")
                    elif key not in seen:
                        seen[key] = fig
            result.figures = list(seen.values())
        except UnicodeDecodeError:
            result.error = f"{path}: not UTF-8 text"
        except csv.Error as e:
            result.error = f"{path}:{reader.line_num}: not CSV: {e}"
    return result


def import_files(paths: list[str], db: str) -> int:
    """Read every file and store its country totals in one transaction; the summary goes to stderr.
    Exit status: 0 everything read, 1 a bad row or file was skipped."""
    from etl.store import StoreWriter

    results = [read_file(p) for p in paths]
    figures: list[dict] = []
    best: dict[tuple, int] = {}
    for r in results:
        for fig in r.figures:  # a figure in two files of one run: the later file wins, as in two runs
            key = (fig.reporter, fig.partner, fig.flow, fig.year)
            row = {"reporter": fig.reporter, "partner": fig.partner, "flow": fig.flow, "year": fig.year,
                   "value_usd": fig.value_usd, "source_file": r.path, "layout": r.layout}
            if key in best:
                figures[best[key]] = row
            else:
                best[key] = len(figures)
                figures.append(row)
    with StoreWriter(db) as writer:
        new, replaced, unchanged = writer.write_official(figures)
    bad = [b for r in results for b in r.bad] + [r.error for r in results if r.error]
    read = sum(len(r.figures) for r in results)
    lines = [f"official import -> {db}: {len(paths)} files, {read} figures read: {new} new, {replaced} replaced, "
             f"{unchanged} unchanged; {sum(r.not_totals for r in results)} rows not country totals; "
             f"{len(bad)} skipped"]
    lines += [f"  {r.path}: {r.layout} layout" for r in results if r.layout]
    if bad:
        lines.append("skipped:")
        lines += [f"  {b}" for b in bad]
    print("\n".join(lines), file=sys.stderr)
    return 1 if bad else 0


def run_command(args) -> int:
    if args.official_command == "import":
        missing = [p for p in args.files if not Path(p).is_file()]
        if missing and len(missing) == len(args.files):
            print(f"official import: no such file: {', '.join(missing)}", file=sys.stderr)
            return 1
        try:
            return import_files(args.files, args.db)
        except (OSError, duckdb.Error) as e:  # an unwritable folder, a file that is not a store
            print(f"official import: {args.db}: {e}", file=sys.stderr)
            return 1
    print(f"unknown command official {args.official_command!r}", file=sys.stderr)
    return 2
