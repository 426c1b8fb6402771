"""Filter state: a frozen value the queries take, its round trip through the URL query string,
and the sidebar widgets that edit it.

The URL is the only state that outlives a session, so every field here has a query-parameter form,
and parsing is forgiving: a stale or hand-edited link loses the values it cannot use, never the page."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from dashboard.i18n import DEFAULT_LANG, LANGS, Lang

from etl.vocabulary import INDICATORS, MODALITIES  # the contract's order
NO_OUTLET = ""  # documents without a URL; "-" in the query string
SEARCH_MAX = 200
MIN_YEAR, MAX_YEAR = 1900, 2100

_CODE = re.compile(r"^[A-Z]{2,5}$")
_OUTLET = re.compile(r"^[a-z0-9.-]{1,253}$")
_SERIES = re.compile(r"^[a-z_]{1,32}\.[a-z]{1,16}\.[A-Za-z%]{1,8}$")
_CLAIM_ID_MAX = 400


@dataclass(frozen=True, slots=True)
class Filters:
    """What selects rows. Empty tuples and None mean "no constraint"."""

    country: str | None = None
    partners: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    indicators: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    outlets: tuple[str, ...] = ()
    search: str = ""

    def is_default(self) -> bool:
        return self == Filters()


@dataclass(frozen=True, slots=True)
class View:
    """How the rows are shown; shared by link like the filters, but never changes which rows match."""

    lang: Lang = DEFAULT_LANG
    series: str | None = None  # "indicator.kind.unit" of the chart shown
    undated: bool = False  # place figures without a period at their publication date
    claim: str | None = None  # the figure whose sentence is shown


# ---------------------------------------------------------------- pure parsing

def _codes(values: Iterable[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for v in values:
        v = v.strip().upper()
        if _CODE.match(v) and v not in seen:
            seen.append(v)
    return tuple(seen)


def _members(values: Iterable[str], allowed: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        v = v.strip()
        if v in allowed and v not in out:
            out.append(v)
    return tuple(out)


def _pair(value: str) -> tuple[str, str] | None:
    a, sep, b = value.replace("–", "-").partition("-")
    codes = _codes([a, b]) if sep else ()
    if len(codes) != 2:
        return None
    return tuple(sorted(codes))  # type: ignore[return-value]


def _year(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    y = int(value)
    return y if MIN_YEAR <= y <= MAX_YEAR else None


def _outlets(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        v = v.strip().lower()
        o = NO_OUTLET if v == "-" else v if _OUTLET.match(v) else None
        if o is not None and o not in out:
            out.append(o)
    return tuple(out)


def parse_query(params: Mapping[str, Sequence[str]]) -> tuple[Filters, View]:
    """Query parameters (each key -> all its values) -> (filters, view). Invalid values are dropped."""

    def all_(key: str) -> list[str]:
        return [v for v in params.get(key, ()) if isinstance(v, str)]

    def one(key: str) -> str | None:
        vals = all_(key)
        return vals[-1] if vals else None

    country = _codes(all_("country")[-1:])
    year_from, year_to = _year(one("from")), _year(one("to"))
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from
    pairs = tuple(dict.fromkeys(p for p in map(_pair, all_("pair")) if p))
    filters = Filters(
        country=country[0] if country else None,
        partners=_codes(all_("partner")) if country else (),
        pairs=pairs,
        indicators=_members(all_("indicator"), INDICATORS),
        modalities=_members(all_("modality"), MODALITIES),
        year_from=year_from,
        year_to=year_to,
        outlets=_outlets(all_("outlet")),
        search=(one("q") or "").strip()[:SEARCH_MAX],
    )
    lang = one("lang")
    series = one("series")
    claim = one("claim")
    view = View(
        lang=lang if lang in LANGS else DEFAULT_LANG,  # type: ignore[arg-type]
        series=series if series and _SERIES.match(series) else None,
        undated=one("undated") == "1",
        claim=claim if claim and len(claim) <= _CLAIM_ID_MAX else None,
    )
    return filters, view


def to_query(filters: Filters, view: View) -> dict[str, list[str]]:
    """The inverse of `parse_query`: only non-default values, so a plain link stays plain."""
    q: dict[str, list[str]] = {}
    if view.lang != DEFAULT_LANG:
        q["lang"] = [view.lang]
    if filters.country:
        q["country"] = [filters.country]
        if filters.partners:
            q["partner"] = list(filters.partners)
    if filters.pairs:
        q["pair"] = [f"{a}-{b}" for a, b in filters.pairs]
    if filters.indicators:
        q["indicator"] = list(filters.indicators)
    if filters.modalities:
        q["modality"] = list(filters.modalities)
    if filters.year_from is not None:
        q["from"] = [str(filters.year_from)]
    if filters.year_to is not None:
        q["to"] = [str(filters.year_to)]
    if filters.outlets:
        q["outlet"] = ["-" if o == NO_OUTLET else o for o in filters.outlets]
    if filters.search:
        q["q"] = [filters.search]
    if view.series:
        q["series"] = [view.series]
    if view.undated:
        q["undated"] = ["1"]
    if view.claim:
        q["claim"] = [view.claim]
    return q


def year_bounds(filters: Filters) -> tuple[date | None, date | None]:
    """The period-overlap window of the year range: [1 Jan of from, 31 Dec of to]."""
    lo = date(filters.year_from, 1, 1) if filters.year_from is not None else None
    hi = date(filters.year_to, 12, 31) if filters.year_to is not None else None
    return lo, hi


def restrict(filters: Filters, available: "Options") -> Filters:
    """Drop values the database does not have, so widgets never get defaults outside their options."""
    country = filters.country if filters.country in available.countries else None
    partners = tuple(p for p in filters.partners if country and p in available.partners_of(country))
    y_from, y_to = filters.year_from, filters.year_to
    if available.years is None:
        y_from = y_to = None
    else:
        lo, hi = available.years
        y_from = None if y_from is None else min(max(y_from, lo), hi)
        y_to = None if y_to is None else min(max(y_to, lo), hi)
        if y_from is not None and y_to is not None and y_from > y_to:
            y_from, y_to = y_to, y_from
        # the whole range is no constraint; keeping it would silently drop figures without a period
        if y_from in (None, lo) and y_to in (None, hi):
            y_from = y_to = None
    return replace(
        filters,
        country=country,
        partners=partners,
        pairs=tuple(p for p in filters.pairs if p in available.pairs),
        outlets=tuple(o for o in filters.outlets if o in available.outlets),
        year_from=y_from,
        year_to=y_to,
    )


@dataclass(frozen=True, slots=True)
class Options:
    """What the database offers to filter on; computed once per database version."""

    countries: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    outlets: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    indicators: tuple[str, ...] = ()
    n_claims: int = 0
    partner_map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def partners_of(self, country: str) -> tuple[str, ...]:
        return self.partner_map.get(country, ())


def options_from_pairs(
    pairs: Sequence[tuple[str, str]], outlets: Sequence[str], years: tuple[int, int] | None,
    indicators: Sequence[str], n_claims: int,
) -> Options:
    """Build the option lists from the distinct pairs: countries and partners follow from them."""
    partner_map: dict[str, set[str]] = {}
    for a, b in pairs:
        partner_map.setdefault(a, set()).add(b)
        partner_map.setdefault(b, set()).add(a)
    return Options(
        countries=tuple(sorted(partner_map)),
        pairs=tuple(sorted(pairs)),
        outlets=tuple(sorted(outlets)),
        years=years,
        indicators=tuple(i for i in INDICATORS if i in indicators) + tuple(sorted(set(indicators) - set(INDICATORS))),
        n_claims=n_claims,
        partner_map={k: tuple(sorted(v)) for k, v in partner_map.items()},
    )
