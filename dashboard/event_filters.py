"""What the explorer's events view selects (issue 11): whether the explorer shows events at all, and the
filters only events have (type, level, modality); their round trip through the URL, their plain words,
and the name of their download.

The explorer's other filters (country, partners, pairs, years, outlets, sentence search: `Filters`)
apply to events as they do to figures: an event has two sides (`country_a`, `country_b`), a date and an
article. The figures' own filters (indicators and their modality) do not, and are kept for when the
explorer shows figures again. Pure functions only: nothing here reads Streamlit."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from dashboard import describe
from dashboard.filters import Filters
from dashboard.i18n import Lang, t
from etl.vocabulary import EVENT_MODALITIES, EVENT_TYPE_LABELS, EVENT_TYPES, LEVEL_LABELS, LEVELS

WHAT = ("figures", "events")  # what the explorer shows: `what=events` in the URL
_EVENT_ID_MAX = 400
_UNSAFE = re.compile(r"(?:[^A-Za-z0-9._-]|-)+")


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The explorer's events view: shown or not, and its own filters. Empty tuples mean no constraint."""

    show: bool = False  # the explorer shows events instead of figures
    types: tuple[str, ...] = ()  # visit, talks, call, signing, relations (the contract's order)
    levels: tuple[str, ...] = ()  # head_of_state … other
    modalities: tuple[str, ...] = ()  # actual, planned
    event: str | None = None  # the event whose sentence is shown beside the table

    def selects(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The part that selects rows (the picked event and `show` do not): a cache key."""
        return self.types, self.levels, self.modalities


def _members(values: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    picked = {v.strip() for v in values}
    return tuple(a for a in allowed if a in picked)  # the contract's order, duplicates gone


def parse_query(params: Mapping[str, Sequence[str]]) -> EventFilters:
    """Query parameters (each key -> all its values) -> the events view; invalid values are dropped."""

    def all_(key: str) -> list[str]:
        return [v for v in params.get(key, ()) if isinstance(v, str)]

    what = all_("what")
    event = all_("event")
    return EventFilters(
        show=bool(what) and what[-1] == "events",
        types=_members(all_("type"), EVENT_TYPES),
        levels=_members(all_("level"), LEVELS),
        modalities=_members(all_("status"), EVENT_MODALITIES),
        event=event[-1] if event and 0 < len(event[-1]) <= _EVENT_ID_MAX else None,
    )


def to_query(ef: EventFilters) -> dict[str, list[str]]:
    """The inverse of `parse_query`: only non-default values, so a link to the figures stays as it was."""
    q: dict[str, list[str]] = {}
    if ef.show:
        q["what"] = ["events"]
    if ef.types:
        q["type"] = list(ef.types)
    if ef.levels:
        q["level"] = list(ef.levels)
    if ef.modalities:
        q["status"] = list(ef.modalities)
    if ef.event:
        q["event"] = [ef.event]
    return q


def shared(filters: Filters) -> Filters:
    """The explorer's filters that apply to events: all but the figures' indicators and modality."""
    return replace(filters, indicators=(), modalities=())


def type_label(code: str, lang: Lang) -> str:
    x = EVENT_TYPE_LABELS.get(code)  # type: ignore[call-overload]
    return code if x is None else x.ru if lang == "ru" else x.en


def level_label(code: str, lang: Lang) -> str:
    x = LEVEL_LABELS.get(code)  # type: ignore[call-overload]
    return code if x is None else x.ru if lang == "ru" else x.en


def status_label(code: str, lang: Lang) -> str:
    return t(f"ev_{code}", lang)  # took place / planned


def filter_parts(filters: Filters, ef: EventFilters, lang: Lang) -> list[str]:
    """'label: values' for each filter that applies to events, in the sidebar's order."""
    f = shared(filters)
    head = describe.filter_parts(Filters(country=f.country, partners=f.partners, pairs=f.pairs), lang)
    tail = describe.filter_parts(replace(f, country=None, partners=(), pairs=()), lang)
    own = []
    if ef.types:
        own.append(f"{t('ed_types', lang)}: " + ", ".join(type_label(x, lang).lower() for x in ef.types))
    if ef.levels:
        own.append(f"{t('ed_levels', lang)}: " + ", ".join(level_label(x, lang).lower() for x in ef.levels))
    if ef.modalities:
        own.append(f"{t('ed_status', lang)}: " + ", ".join(status_label(x, lang) for x in ef.modalities))
    return head + own + tail


def filters_line(filters: Filters, ef: EventFilters, lang: Lang) -> str:
    """One sentence: 'Filtered — pairs: Kyrgyzstan – Russia; event types: visit.' or 'No filters: …'."""
    parts = filter_parts(filters, ef, lang)
    return t("d_filtered", lang, parts="; ".join(parts)) if parts else t("ed_no_filters", lang)


def file_stem(filters: Filters, ef: EventFilters) -> str:
    """The downloads' name from the filters: `events_KGZ-RUS_visit_planned`; `events_all` without any.
    Letters, digits, '.', '_' and '-' only, as the figures' CSV names."""
    f = shared(filters)
    parts: list[str] = []
    if f.country:
        parts.append("-".join((f.country, *f.partners)))
    parts += [f"{a}-{b}" for a, b in f.pairs]
    parts += list(ef.types) + list(ef.levels) + list(ef.modalities)
    if f.year_from is not None or f.year_to is not None:
        lo, hi = f.year_from, f.year_to
        parts.append(f"{lo}-{hi}" if lo is not None and hi is not None and lo != hi else str(lo) if lo == hi
                     else f"from-{lo}" if lo is not None else f"to-{hi}")
    parts += ["no-url" if o == "" else o for o in f.outlets]
    if f.search:
        words = _UNSAFE.sub("-", f.search).strip("-._")
        parts.append(f"q-{words}" if words else "q")
    stem = "_".join(p for p in (_UNSAFE.sub("-", x).strip("-") for x in parts) if p) or "all"
    return f"events_{stem}"[:120].rstrip("-_.")
