"""What a view shows, in plain words: the explorer's line under its title, the title of a chart file, the
README of a download. Pure functions of the state and the language."""
from __future__ import annotations

from dashboard import i18n
from dashboard.filters import NO_OUTLET, Filters
from dashboard.i18n import Lang, t


def filter_parts(f: Filters, lang: Lang) -> list[str]:
    """'label: values' for each filter set, in the sidebar's order; none for the whole database."""
    name = lambda c: i18n.country_name(c, lang)  # noqa: E731
    parts: list[str] = []
    if f.country:
        parts.append(f"{t('d_country', lang)}: {name(f.country)}")
        if f.partners:
            parts.append(f"{t('d_partners', lang)}: {', '.join(map(name, f.partners))}")
    if f.pairs:
        parts.append(f"{t('d_pairs', lang)}: " + ", ".join(f"{name(a)} {i18n.EN_DASH} {name(b)}" for a, b in f.pairs))
    if f.indicators:
        parts.append(f"{t('d_indicators', lang)}: "
                     + ", ".join(i18n.indicator_label(i, lang).lower() for i in f.indicators))
    if f.modalities:
        parts.append(f"{t('d_modalities', lang)}: "
                     + ", ".join(i18n.modality_label(m, lang).lower() for m in f.modalities))
    if f.year_from is not None or f.year_to is not None:
        lo, hi = f.year_from, f.year_to
        years = (f"{lo}{i18n.EN_DASH}{hi}" if lo is not None and hi is not None and lo != hi
                 else str(lo) if lo is not None and lo == hi
                 else t("d_from_year", lang, year=lo) if lo is not None else t("d_to_year", lang, year=hi))
        parts.append(f"{t('d_years', lang)}: {years}")
    if f.outlets:
        parts.append(f"{t('d_outlets', lang)}: "
                     + ", ".join(t("no_url", lang) if o == NO_OUTLET else o for o in f.outlets))
    if f.search:
        parts.append(f"{t('d_search', lang)}: «{f.search}»")
    return parts


def filters_line(f: Filters, lang: Lang) -> str:
    """One sentence: 'Filtered — country: Kazakhstan; indicators: trade turnover.' or 'No filters: …'."""
    parts = filter_parts(f, lang)
    return t("d_filtered", lang, parts="; ".join(parts)) if parts else t("d_no_filters", lang)
