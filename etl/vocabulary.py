"""The claim contract's vocabulary, once: every layer (extractor, store, dashboard, tests, benchmarks)
imports its values and their labels from here (../shared/spec/claims.md, v1.2).

The members are `StrEnum`s, so a member is its contract string (`Indicator.EXPORT == "export"`,
and JSON writes it as such)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Indicator(StrEnum):
    TRADE_TURNOVER = "trade_turnover"
    EXPORT = "export"
    IMPORT = "import"
    INVESTMENT = "investment"
    AGREEMENTS = "agreements"
    AID = "aid"


class Kind(StrEnum):
    LEVEL = "level"
    CHANGE = "change"


class Comparator(StrEnum):
    EQ = "eq"
    GT = "gt"
    LT = "lt"
    APPROX = "approx"


class Modality(StrEnum):
    ACTUAL = "actual"
    TARGET = "target"
    FORECAST = "forecast"


class Unit(StrEnum):
    """The units that are not currencies; a currency is its ISO 4217 code (`USD`, `KZT`, …)."""

    TONNE = "t"
    PERCENT = "%"
    FACTOR = "x"
    COUNT = "count"


class Bloc(StrEnum):
    """The blocs a claim's side may be instead of a country (`countries` holds their codes)."""

    EAEU = "EAEU"
    CIS = "CIS"
    SCO = "SCO"
    EU = "EU"
    CSTO = "CSTO"


@dataclass(frozen=True)
class Label:
    en: str
    ru: str

    def __getitem__(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True)
class IndicatorInfo:
    label: Label
    flow: bool  # export, import, investment, aid: `flow_from` names the side things come from
    trade: bool  # turnover, export, import: one statistic seen from its sides
    currency: bool  # an amount of money may state it
    units: frozenset[Unit]  # the other units it may be stated in


INDICATORS_INFO: dict[Indicator, IndicatorInfo] = {
    Indicator.TRADE_TURNOVER: IndicatorInfo(Label("Trade turnover", "Товарооборот"), False, True, True,
                                            frozenset({Unit.TONNE, Unit.PERCENT, Unit.FACTOR})),
    Indicator.EXPORT: IndicatorInfo(Label("Exports", "Экспорт"), True, True, True,
                                    frozenset({Unit.TONNE, Unit.PERCENT, Unit.FACTOR})),
    Indicator.IMPORT: IndicatorInfo(Label("Imports", "Импорт"), True, True, True,
                                    frozenset({Unit.TONNE, Unit.PERCENT, Unit.FACTOR})),
    Indicator.INVESTMENT: IndicatorInfo(Label("Investment", "Инвестиции"), True, False, True,
                                        frozenset({Unit.PERCENT, Unit.FACTOR})),
    Indicator.AGREEMENTS: IndicatorInfo(Label("Agreements signed", "Подписанные соглашения"), False, False, True,
                                        frozenset({Unit.COUNT})),
    Indicator.AID: IndicatorInfo(Label("Aid", "Помощь"), True, False, True,
                                 frozenset({Unit.TONNE, Unit.PERCENT, Unit.FACTOR})),
}
KIND_LABELS = {Kind.LEVEL: Label("level", "уровень"), Kind.CHANGE: Label("change", "изменение")}
MODALITY_LABELS = {Modality.ACTUAL: Label("Actual", "Факт"), Modality.TARGET: Label("Target", "Цель"),
                   Modality.FORECAST: Label("Forecast", "Прогноз")}
# what stands before a figure with that comparator: «more than 3 bn USD», «около 3 млрд USD»
COMPARATOR_WORDS = {Comparator.EQ: Label("", ""), Comparator.GT: Label("more than ", "более "),
                    Comparator.LT: Label("less than ", "менее "), Comparator.APPROX: Label("about ", "около ")}
BLOC_NAMES = {
    Bloc.EAEU: Label("Eurasian Economic Union", "Евразийский экономический союз"),
    Bloc.CIS: Label("Commonwealth of Independent States", "Содружество Независимых Государств"),
    Bloc.SCO: Label("Shanghai Cooperation Organisation", "Шанхайская организация сотрудничества"),
    Bloc.EU: Label("European Union", "Европейский союз"),
    Bloc.CSTO: Label("Collective Security Treaty Organisation", "Организация Договора о коллективной безопасности"),
}

# The plain strings, in the contract's order, for membership tests and SQL parameters.
INDICATORS: tuple[str, ...] = tuple(i.value for i in Indicator)
FLOW_INDICATORS = frozenset(i.value for i, info in INDICATORS_INFO.items() if info.flow)
TRADE_INDICATORS = frozenset(i.value for i, info in INDICATORS_INFO.items() if info.trade)
KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
COMPARATORS: tuple[str, ...] = tuple(c.value for c in Comparator)
MODALITIES: tuple[str, ...] = tuple(m.value for m in Modality)
UNITS_NON_CURRENCY: tuple[str, ...] = tuple(u.value for u in Unit)
BLOCS: tuple[str, ...] = tuple(b.value for b in Bloc)


# ---------------------------------------------------------------- diplomacy events (../shared/spec/events.md, v1.1)


class EventType(StrEnum):
    VISIT = "visit"
    TALKS = "talks"
    CALL = "call"
    SIGNING = "signing"
    RELATIONS = "relations"


class Level(StrEnum):
    """The highest office among an event's named participants, highest first."""

    HEAD_OF_STATE = "head_of_state"
    HEAD_OF_GOVERNMENT = "head_of_government"
    MINISTER = "minister"
    OTHER = "other"


class EventModality(StrEnum):
    ACTUAL = "actual"
    PLANNED = "planned"


EVENT_TYPE_LABELS = {EventType.VISIT: Label("Visit", "Визит"), EventType.TALKS: Label("Talks", "Переговоры"),
                     EventType.CALL: Label("Call", "Телефонный разговор"), EventType.SIGNING: Label("Signing", "Подписание"),
                     EventType.RELATIONS: Label("Relations established", "Установление отношений")}
LEVEL_LABELS = {Level.HEAD_OF_STATE: Label("Heads of state", "Главы государств"),
                Level.HEAD_OF_GOVERNMENT: Label("Heads of government", "Главы правительств"),
                Level.MINISTER: Label("Ministers", "Министры"), Level.OTHER: Label("Other", "Другие")}
# leaders.csv's `role` column -> the level of an event its holder takes part in
LEADER_ROLE_LEVELS = {"president": Level.HEAD_OF_STATE, "prime_minister": Level.HEAD_OF_GOVERNMENT,
                      "vice_premier": Level.MINISTER, "foreign_minister": Level.MINISTER, "other": Level.OTHER}

EVENT_TYPES: tuple[str, ...] = tuple(t.value for t in EventType)
LEVELS: tuple[str, ...] = tuple(x.value for x in Level)  # highest first
EVENT_MODALITIES: tuple[str, ...] = tuple(m.value for m in EventModality)
EVENT_FIELDS = ("type", "countries", "host", "level", "date", "modality", "count")  # the fields rules decide
