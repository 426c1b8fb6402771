"""The extractor's knowledge, read once from the tables in etl/lexicon/.

Countries, blocs, capitals, leaders, currencies, number words, indicator words and cue words
are data an analyst can extend; this module only loads and indexes them. Names are indexed by
every form of their lexeme (pymorphy3), so «Кыргызстаном», «Киргизии», «Путиным» need no list."""
from __future__ import annotations

import csv
import os
import pickle
import re
import sys
import tomllib
import typing
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Callable, Generic, TypeVar

from etl import cache as cache_file
from etl import version
from etl.lazy import per_lexicon  # noqa: F401  (re-exported: etl/numbers.py, etl/countries.py)
from etl.morph import lexeme_forms, singular_forms
from etl.vocabulary import INDICATORS

LEXICON_DIR = version.LEXICON_DIR


@dataclass(frozen=True, slots=True)
class EntityName:
    """One way of naming a side: a country, a bloc, or something that stands for one."""

    code: str
    kind: str  # name | adjective | capital | leader | bloc | demonym
    words: tuple[frozenset[str], ...]  # accepted lower-case forms of each word of the name
    case_sensitive: bool = False  # abbreviations: «РК», «ЕС» only in capitals


@dataclass(frozen=True)
class FunctionWords:
    """etl/lexicon/function_words.toml: the function words the rules look at, by what they do."""

    present_markers: tuple[str, ...]
    by_order_of: frozenset[str]
    may_lemmas: frozenset[str]
    that_clause: frozenset[str]
    that_clause_phrase: tuple[str, ...]
    skip_before_figure: frozenset[str]
    negation: frozenset[str]
    even_after_negation: frozenset[str]
    upper_bound: frozenset[str]
    part_of_stems: tuple[str, ...]
    part_of_lemmas: frozenset[str]
    part_of_preposition: frozenset[str]
    part_of_whole_lemmas: frozenset[str]
    more_after: frozenset[str]
    less_after: frozenset[str]
    exceed_lemmas: frozenset[str]
    currency_preposition: frozenset[str]
    ours_stems: tuple[str, ...]
    factor_preposition: frozenset[str]
    time_prepositions: frozenset[str]
    restriction_particles: frozenset[str]
    share_lemmas: frozenset[str]
    ratio_of_two_lemmas: frozenset[str]
    ratio_of_two_forms: frozenset[str]
    figure_prepositions: frozenset[str]
    change_preposition: frozenset[str]
    added_lemmas: frozenset[str]
    range_from: frozenset[str]
    range_to: frozenset[str]
    comparison_base: frozenset[str]
    plus_signs: frozenset[str]
    minus_signs: frozenset[str]
    open_brackets: frozenset[str]
    plus_words: frozenset[str]
    minus_words: frozenset[str]
    new_statement: frozenset[str]
    pronoun_source: frozenset[str]
    from_prepositions: frozenset[str]
    to_prepositions: frozenset[str]
    receiving_lemmas: frozenset[str]
    back_reference_lemmas: frozenset[str]
    partner_prepositions: frozenset[str]
    member_lemmas: frozenset[str]


@dataclass(frozen=True)
class FigureWords:
    """etl/lexicon/numerals.toml [figure_words]: the words etl/numbers.py reads around a figure, besides
    the number, scale, unit and currency words."""

    currency_country: frozenset[str]  # «долл. США»: as written
    and_a_half: tuple[str, ...]  # «два с половиной»: two words
    adjective_joiners: frozenset[str]
    before_fraction: frozenset[str]
    change_fractions: frozenset[str]
    fraction_prepositions: frozenset[str]
    range_start: frozenset[str]
    change_start: frozenset[str]
    range_end: frozenset[str]
    factor_prepositions: frozenset[str]


@dataclass(frozen=True)
class Declension:
    """etl/lexicon/declension.toml: case endings by rule, for the currency words and surnames the
    dictionary only guesses. Read while the lexicon is built; not part of it."""

    hard_consonants: str
    currency_endings: tuple[str, ...]
    possessive_surname_suffixes: tuple[str, ...]
    possessive_surname_endings: tuple[str, ...]
    surname_endings: tuple[str, ...]


@dataclass(frozen=True)
class SideWords:
    """etl/lexicon/sides.toml: the words etl/countries.py reads to find a side that is not named («двух
    стран», «наша страна», «союз») and the prepositions before a side."""

    generic_pair_noun_lemmas: frozenset[str]
    pair_quantifier_lemmas: frozenset[str]
    ours_lemmas: frozenset[str]
    generic_lemmas: frozenset[str]
    between_plural_lemmas: frozenset[str]
    between_plural_starts: tuple[str, ...]
    between: frozenset[str]
    prepositions: frozenset[str]
    group_noun_lemmas: frozenset[str]
    into_prepositions: tuple[str, ...]  # the first is what a mention's preposition reads as
    out_of_prepositions: frozenset[str]
    coordinators: frozenset[str]
    union_lemmas: tuple[str, ...]
    not_union_after_lemmas: frozenset[str]


@dataclass(frozen=True)
class TextRules:
    """etl/lexicon/text.toml: the words etl/text.py splits sentences and clauses by."""

    abbreviations: frozenset[str]  # a full stop after one is no sentence's end: «в г. Сочи»
    continued_abbreviations: dict[str, tuple[str, ...]]  # «долл. США»: nor before one of its words
    clause_breaks: tuple[str, ...]  # «, но»: a clause starts
    dash_clause_breaks: tuple[str, ...]  # «— а»


# The kinds of time expression etl/periods.py resolves: calendar.toml gives each its patterns and the words
# they need, and no other kind.
TIME_KINDS = ("month_range", "quarter", "half", "n_months", "span_back", "day", "month_year", "month",
              "year_range", "year", "ytd", "same_period", "rel_year", "today", "rel_month", "weekday",
              "year_earlier")
WORD_START = r"(?<![\w-])"  # «{b}» of calendar.toml's patterns: no letter, digit or hyphen before


@dataclass(frozen=True)
class CalendarWords:
    """etl/lexicon/calendar.toml: the time words and the time patterns etl/periods.py reads, checked on
    load. The patterns are regex source with their pieces filled in; etl/periods.py compiles them, once
    per lexicon."""

    months: tuple[str, ...]  # regex stems, January first
    weekdays: tuple[str, ...]  # Monday first
    ordinals: tuple[str, ...]
    cardinals: tuple[str, ...]
    halves: tuple[str, ...]  # the first half's stem, the second's
    timeless: tuple[str, ...]
    comparison_base: str
    day_months: tuple[str, ...]  # the starts of a month's name after a day, each stem's class spelled out
    relative_years: dict[str, int]
    day_offsets: dict[str, int]
    base_before: str  # [roles]
    to_before: str
    since_before: str
    than_before: str
    patterns: tuple[tuple[str, str], ...]  # (kind, regex), in the order they are tried
    needs: dict[str, tuple[str, ...]]  # kind -> the words its patterns cannot match without


@dataclass(frozen=True)
class Lexicon:
    # Entities: first word form -> names starting with it (longest first).
    names_by_first: dict[str, tuple[EntityName, ...]]
    compound_prefixes: dict[str, str]  # «российско» -> RUS
    bloc_members: dict[str, frozenset[str]]
    bloc_names: dict[str, tuple[str, ...]]  # code -> its names as written in blocs.csv
    country_names: dict[str, str]  # code -> Russian name, for messages and the dashboard
    # Indicators
    indicator_lemmas: dict[str, str]  # lemma -> indicator
    indicator_phrases: tuple[tuple[tuple[str, ...], str], ...]
    signing_lemmas: frozenset[str]
    sending_lemmas: frozenset[str]
    not_bilateral_lemmas: frozenset[str]
    not_bilateral_phrases: tuple[tuple[str, ...], ...]
    foreign_only_lemmas: frozenset[str]  # «внешнеторговый»: not bilateral unless the pair is named
    subnational_nouns: frozenset[str]
    other_statistics: frozenset[str]  # «ВВП», «госдолг»: a figure of these is not the article's statistic
    subset_adjectives: frozenset[str]  # «агропромышленный» товарооборот: a sector, not all trade
    whole_trade_nouns: frozenset[str]  # «экспорт товаров»: a genitive after the indicator that is still all trade
    # Numbers and units
    scales: dict[str, float]
    groups: dict[str, float]
    ratio_adverbs: dict[str, float]
    ratio_verbs: dict[str, float]  # "удвоить", "утроение"... -> the factor
    fractions: dict[str, float]  # "треть", "четверть"... -> percent
    ratio_verb_forms: dict[str, float]  # every form of those
    fraction_forms: dict[str, float]
    bare_scale_forms: dict[str, float]  # singular forms of "миллиард"... -> the amount they are alone
    outlet_domains: dict[str, str]  # a site's domain or top-level domain -> its country (outlets.csv)
    speech_verbs: frozenset[str]  # verbs that attribute a quotation or a figure (speech.toml)
    office_words: frozenset[str]  # words for a speaker's office: «посол», «глава МИД» (speech.toml)
    speaker_pronouns: frozenset[str]  # «— сказал он»: the leader named before (speech.toml)
    currency_lemmas: dict[str, str]
    currency_forms: dict[str, str]
    currency_symbols: dict[str, str]
    chrome_headings: tuple[str, ...]
    currency_qualifiers: dict[str, str]  # adjective lemma -> the currency it makes of a currency word
    # Cues
    cues: dict
    # Every inflected form of the number, scale, currency and counted words, for fast lookup
    number_forms: dict[str, float]
    scale_forms: dict[str, float]
    group_forms: dict[str, float]
    currency_word_forms: dict[str, str]
    count_noun_forms: dict[str, str]  # form -> lemma of the agreement noun
    words: FunctionWords  # the function words the rules look at (function_words.toml)
    calendar: CalendarWords  # time words and patterns (calendar.toml)
    sides: SideWords  # words for a side that is not named, prepositions before a side (sides.toml)
    text: TextRules  # abbreviations and clause-break words, for splitting sentences (text.toml)
    figures: FigureWords  # the words around a figure (numerals.toml [figure_words])
    unit_words: dict[str, frozenset[str]]  # numerals.toml [unit_words]: %, t and x words after a number
    # (currency, side) -> the currency a bare shared word means in a figure of that side: «манатов» in a
    # figure of Azerbaijan's is AZN, though «манат» alone reads as TMT (currency_by_side.csv)
    currency_by_side: dict[tuple[str, str], str]
    currency_by_side_units: frozenset[str]  # the currencies that table names, looked up first


_FIELD_TYPES = typing.get_type_hints(Lexicon)


def _forms_of(words: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for w, v in words.items():
        for f in lexeme_forms(w):
            out.setdefault(f, v)
        out[w] = v
    return out


def _hard_masculine_forms(words: dict[str, str], decl: Declension) -> dict[str, str]:
    """Case forms of currency names that end in a hard consonant, by rule (declension.toml): pymorphy3
    reads «драмов» as «драма» (a play) and has no «драм» the currency. The forms count only after an amount."""
    out: dict[str, str] = {}
    for w, code in words.items():
        if w and w[-1] in decl.hard_consonants:
            for e in decl.currency_endings:
                out[w + e] = code
    return out


def _split(field: str | None) -> list[str]:
    return [x.strip() for x in (field or "").split("|") if x.strip()]


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(LEXICON_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _read_toml(name: str) -> dict:
    with open(LEXICON_DIR / name, "rb") as f:
        return tomllib.load(f)


def _entity(code: str, kind: str, name: str, decl: Declension) -> EntityName:
    words = name.split()
    if len(words) == 1 and name.isupper() and len(name) <= 5:
        return EntityName(code, kind, (frozenset({name}),), case_sensitive=True)
    forms = []
    for i, w in enumerate(words):
        if w.isupper():
            forms.append(frozenset({w.lower()}))
        elif len(words) > 1 and i < len(words) - 1 and kind == "leader":
            forms.append(frozenset({w.lower()}))  # «Си» of «Си Цзиньпин» does not decline
        elif kind == "leader":
            forms.append(_surname_forms(w, decl))  # the dictionary guesses odd lexemes for rare surnames
        else:
            forms.append(lexeme_forms(w))
    return EntityName(code, kind, tuple(forms))


def _surname_forms(name: str, decl: Declension) -> frozenset[str]:
    """Case forms of a surname by the rules of Russian declension (declension.toml), where the dictionary
    only guesses: «Токаевым», «Жапарова», «Эрдоганом». Vowel-final foreign names (Моди) do not decline."""
    w = name.lower()
    if w[-1] not in decl.hard_consonants:
        return frozenset({w})
    if w.endswith(decl.possessive_surname_suffixes):
        return frozenset(w + e for e in decl.possessive_surname_endings)
    return frozenset(w + e for e in decl.surname_endings)


def _entities(decl: Declension) -> tuple[list[EntityName], dict[str, str], dict[str, frozenset[str]], dict[str, str]]:
    out: list[EntityName] = []
    prefixes: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in _read_csv("countries.csv"):
        code = row["code"]
        names[code] = row["name"]
        for n in [row["name"], *_split(row["names"])]:
            out.append(_entity(code, "name", n, decl))
        for a in _split(row["adjectives"]):
            out.append(_entity(code, "adjective", a, decl))
        for d in _split(row.get("demonyms")):
            out.append(_entity(code, "demonym", d, decl))
        for p in _split(row["compound_prefixes"]):
            prefixes[p.lower()] = code
    members: dict[str, frozenset[str]] = {}
    for row in _read_csv("blocs.csv"):
        code = row["code"]
        members[code] = frozenset(_split(row["members"]))
        names.setdefault(code, _split(row["names"])[0])
        for n in _split(row["names"]):
            out.append(_entity(code, "bloc", n, decl))
        for a in _split(row.get("adjectives")):
            out.append(_entity(code, "bloc", a, decl))
    for row in _read_csv("capitals.csv"):
        out.append(_entity(row["code"], "capital", row["city"], decl))
    seen_leaders: set[tuple[str, str]] = set()
    for row in _read_csv("leaders.csv"):
        key = (row["surname"], row["code"])
        if key not in seen_leaders:
            seen_leaders.add(key)
            out.append(_entity(row["code"], "leader", row["surname"], decl))
    return out, prefixes, members, names


T = TypeVar("T")


_WORD_MEMO_LIMIT = 200_000  # word forms remembered per table: a huge page of odd words does not grow it forever


MISSING = object()  # not in a table of word forms yet


class per_word(Generic[T]):  # noqa: N801  (used like a decorator, as functools.cache)
    """Memoise what one word form reads from a lexicon (its cues, its lemma for the cue tables): a table
    of forms per lexicon, emptied when it grows past a bound, as an LRU cache would be, at less cost.
    A loop over many words takes `table(lex)` once and reads it with `.get(form, MISSING)`."""

    def __init__(self, read: Callable[[str, Lexicon], T]) -> None:
        self.read = read
        self.__doc__ = read.__doc__
        self._lex: Lexicon | None = None
        self._memo: dict[str, T] = {}

    def table(self, lex: Lexicon) -> dict[str, T]:
        if self._lex is not lex:
            self._lex, self._memo = lex, {}
        return self._memo

    def __call__(self, lower: str, lex: Lexicon) -> T:
        memo = self._memo if self._lex is lex else self.table(lex)
        value = memo.get(lower, MISSING)
        if value is MISSING:
            if len(memo) >= _WORD_MEMO_LIMIT:
                memo.clear()
            value = memo[lower] = self.read(lower, lex)
        return value  # type: ignore[return-value]


@cache
def load() -> Lexicon:
    """The lexicon, from the on-disk cache when it was built from these very tables (see `_cache_path`)."""
    path = _cache_path()
    if path is None:
        return build()
    key = _cache_key()
    cached = cache_file.read(path, key, _CACHE_CLASSES, _is_whole_lexicon)
    if isinstance(cached, Lexicon):
        return cached
    lex = build()
    cache_file.write(path, key, lex)
    return lex


# Building the lexicon inflects ~1,300 names through pymorphy3: ~0.6 s, paid by every `python -m etl`
# run before its first document. The result is kept in the user's cache folder, named by a hash of
# everything it is made from, so an edited table or a new dictionary builds a new one; etl/cache.py
# says why a planted, broken or foreign file is never used.
CACHE_ENV = "BILATERAL_ETL_CACHE_DIR"  # a folder; "" or "off" turns the cache off
_CACHE_CLASSES = frozenset({("etl.lexicon", "Lexicon"), ("etl.lexicon", "EntityName"), ("etl.lexicon", "FunctionWords"),
                            ("etl.lexicon", "CalendarWords"), ("etl.lexicon", "SideWords"),
                            ("etl.lexicon", "TextRules"), ("etl.lexicon", "FigureWords")})


def _cache_dir() -> Path | None:
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        return None if setting.strip().lower() in ("", "0", "off", "none") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bilateral-etl"


def _cache_key() -> str:
    sources = version.lexicon_tables(LEXICON_DIR) + [Path(__file__), Path(__file__).with_name("morph.py")]
    extra = version.package_versions(version.MORPHOLOGY_PACKAGES)
    return version.digest(sources, [*extra, f"{sys.version_info[:2]}", f"{pickle.HIGHEST_PROTOCOL}"])[:32]


def _cache_path() -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    try:
        folder = cache_file.private_folder(folder)
        return folder / f"lexicon-{_cache_key()}.pickle"
    except cache_file.CacheRefused as e:
        cache_file.warn(str(e))
        return None
    except OSError:
        return None


def _is_whole_lexicon(obj: object) -> bool:
    """Every field of this code's Lexicon is there, each of the container type it is declared as."""
    if not isinstance(obj, Lexicon):
        return False
    state = vars(obj)
    for f in fields(Lexicon):
        want = typing.get_origin(_FIELD_TYPES[f.name]) or _FIELD_TYPES[f.name]
        if f.name not in state or not isinstance(state[f.name], want):
            return False
    return len(state) == len(_FIELD_TYPES) and _agrees_with_tables(obj)


def _agrees_with_tables(lex: Lexicon) -> bool:
    """The parts of a lexicon that the tables give without pymorphy3 (milliseconds to read) are
    exactly the tables': an entry emptied or edited after it was built is not used."""
    codes = {row["code"] for row in _read_csv("countries.csv")} | {row["code"] for row in _read_csv("blocs.csv")}
    cues = {table: {name: frozenset(words) for name, words in lists.items()}
            for table, lists in _read_toml("cues.toml").items()}
    return set(lex.country_names) == codes and lex.cues == cues and bool(lex.names_by_first)


# indicators.toml holds a section per contract indicator and these word lists the rules read beside them
_INDICATOR_TABLE_EXTRAS = frozenset({"not_bilateral", "subnational", "subset", "other_statistics"})


class LexiconError(ValueError):
    """A table that does not fit the contract: the message names the file and what is wrong."""


def _check_indicator_sections(table: dict) -> None:
    path = LEXICON_DIR / "indicators.toml"
    missing = [i for i in INDICATORS if i not in table]
    unknown = sorted(set(table) - set(INDICATORS) - _INDICATOR_TABLE_EXTRAS)
    if missing:
        raise LexiconError(f"{path}: no section for the contract's indicator(s) {', '.join(missing)}")
    if unknown:
        raise LexiconError(f"{path}: section(s) {', '.join(unknown)} are no indicator of the contract "
                           f"(etl/vocabulary.py) nor one of {', '.join(sorted(_INDICATOR_TABLE_EXTRAS))}")


W = typing.TypeVar("W")


def _word_lists(cls: type[W], name: str, section: str | None = None) -> W:
    """A table of word lists (function_words.toml, sides.toml, a section of numerals.toml) as the frozen
    dataclass `cls`: each of its fields a non-empty list of words, and no other key; else an error naming
    the file (and the section)."""
    path = LEXICON_DIR / name
    table = _read_toml(name)
    where = ""
    if section is not None:
        where = f"[{section}] "
        table = table.get(section)
        if not isinstance(table, dict):
            raise LexiconError(f"{path}: no [{section}] table")
    want = {f.name: f.type for f in fields(cls)}
    _check_keys(path, table, set(want), where)
    bad = [k for k, v in table.items() if not (isinstance(v, list) and v and all(isinstance(w, str) and w for w in v))]
    if bad:
        raise LexiconError(f"{path}: {where}{', '.join(bad)} must be non-empty lists of words")
    return cls(**{k: tuple(v) if want[k].startswith("tuple") else frozenset(v) for k, v in table.items()})


def _figure_words() -> FigureWords:
    words = _word_lists(FigureWords, "numerals.toml", "figure_words")
    if len(words.and_a_half) != 2:
        raise LexiconError(f"{LEXICON_DIR / 'numerals.toml'}: [figure_words] and_a_half must be two words")
    return words


def _declension() -> Declension:
    path = LEXICON_DIR / "declension.toml"
    table = _read_toml("declension.toml")
    want = {f.name for f in fields(Declension)}
    _check_keys(path, table, want)
    letters = table["hard_consonants"]
    if not (isinstance(letters, str) and letters.isalpha() and letters == letters.lower()):
        raise LexiconError(f"{path}: hard_consonants must be a string of lower-case letters")
    for key in sorted(want - {"hard_consonants"}):
        v = table[key]
        if not (isinstance(v, list) and v and all(isinstance(e, str) and (e == "" or e.isalpha()) for e in v)):
            raise LexiconError(f"{path}: {key} must be a non-empty list of endings (letters, or \"\")")
    return Declension(**{k: v if k == "hard_consonants" else tuple(v) for k, v in table.items()})


def _speech() -> dict[str, frozenset[str]]:
    path = LEXICON_DIR / "speech.toml"
    table = _read_toml("speech.toml")
    _check_keys(path, table, {"verbs", "titles", "pronouns"})
    bad = [k for k, v in table.items() if not (isinstance(v, list) and v and all(isinstance(w, str) and w for w in v))]
    if bad:
        raise LexiconError(f"{path}: {', '.join(bad)} must be non-empty lists of words")
    return {k: frozenset(v) for k, v in table.items()}


def warm_up_sentence() -> str:
    """text.toml's warm_up: a sentence for etl/ingest.py to have the extractor read before it starts its
    workers. Read alone, without building the lexicon: the extractor installed may need none (the store's
    tests install a fake one), and the real one loads it on its first sentence anyway."""
    sentence = _read_toml("text.toml").get("warm_up")
    if not isinstance(sentence, str) or not sentence.strip():
        raise LexiconError(f"{LEXICON_DIR / 'text.toml'}: warm_up must be a sentence")
    return sentence


def _text_rules() -> TextRules:
    path = LEXICON_DIR / "text.toml"
    table = _read_toml("text.toml")
    _check_keys(path, table, {"abbreviations", "continued_abbreviations", "clause_breaks", "dash_clause_breaks",
                              "warm_up"})

    def words(key: str, v: object) -> tuple[str, ...]:
        if not (isinstance(v, list) and v and all(isinstance(w, str) and w for w in v)):
            raise LexiconError(f"{path}: {key} must be a non-empty list of words")
        return tuple(v)

    warm_up_sentence()  # checked here too, so that a broken table fails on load, not when ingest starts
    cont = table["continued_abbreviations"]
    if not isinstance(cont, dict):
        raise LexiconError(f"{path}: continued_abbreviations must be a table of word lists")
    breaks = {k: words(k, table[k]) for k in ("clause_breaks", "dash_clause_breaks")}
    for key, ws in breaks.items():
        bad = [w for w in ws if not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", w)]
        if bad:
            raise LexiconError(f"{path}: {key}: {', '.join(map(repr, bad))} must be letters and single spaces")
    return TextRules(abbreviations=frozenset(words("abbreviations", table["abbreviations"])),
                     continued_abbreviations={k: words(f"continued_abbreviations.{k}", v) for k, v in cont.items()},
                     **breaks)


_CALENDAR_LISTS = ("months", "weekdays", "ordinals", "cardinals", "halves", "timeless", "day_months")
_CALENDAR_TABLES = ("relative_years", "day_offsets", "roles", "pieces", "needs")
_CALENDAR_ROLES = ("base", "to", "since", "than")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")  # «{YSPEC}», not the regex count «{1,2}»


def stem_words(stem: str) -> list[str]:
    """«ма[йяею]» -> ["май", "мая", "мае", "маю"]: the literal words a stem with one class can start."""
    m = re.fullmatch(r"(\w*)\[(\w+)\](\w*)", stem)
    return [m[1] + c + m[3] for c in m[2]] if m else [stem]


def _lower_case(pattern: str) -> bool:
    """Written in lower case (group names aside): compiled without re.I, it matches lower-cased text as
    the pattern with re.I matches the text."""
    bare = re.sub(r"\(\?P[<=]", "", pattern)
    return bare == bare.lower()


def _calendar_words() -> CalendarWords:
    path = LEXICON_DIR / "calendar.toml"
    table = _read_toml("calendar.toml")

    def fail(what: str) -> typing.NoReturn:
        raise LexiconError(f"{path}: {what}")

    def compiled(key: str, regex: object, lower: bool = False) -> str:
        if not isinstance(regex, str) or not regex:
            fail(f"{key} must be a non-empty regex string")
        try:
            re.compile(regex)
        except re.error as e:
            fail(f"{key} is not a regex: {e}")
        if lower and not _lower_case(regex):
            fail(f"{key} must be in lower case (it is matched on lower-cased text)")
        return regex

    _check_keys(path, table, set(_CALENDAR_LISTS) | set(_CALENDAR_TABLES) | {"comparison_base", "patterns"})
    for key in _CALENDAR_LISTS:
        if not (isinstance(table[key], list) and table[key]):
            fail(f"{key} must be a non-empty list of regex stems")
        for i, stem in enumerate(table[key]):
            compiled(f"{key}[{i}]", stem)
    bad = [m for m in table["day_months"] if not re.fullmatch(r"\w+(?:\[\w+\]\w*)?", m)]
    if bad:
        fail(f"day_months {', '.join(bad)}: a stem is letters with at most one [class] of letters")
    if len(table["halves"]) != 2:
        fail("halves must name two stems: the first half's and the second's")
    for key in _CALENDAR_TABLES:
        if not isinstance(table[key], dict) or not table[key]:
            fail(f"[{key}] must be a non-empty table")
    for key in ("relative_years", "day_offsets"):
        bad = [k for k, v in table[key].items() if not k or type(v) is not int]
        if bad:
            fail(f"[{key}] {', '.join(bad)}: each must be a word = a whole number")
    _check_keys(path, table["roles"], set(_CALENDAR_ROLES), "[roles] ")
    roles = {k: compiled(f"[roles] {k}", v, lower=k != "than") for k, v in table["roles"].items()}

    lists = {"M": table["months"], "WD": table["weekdays"], "ORD": table["ordinals"], "CARD": table["cardinals"],
             "REL": sorted(table["relative_years"], key=len, reverse=True), "HALF": table["halves"],
             "DAY": list(table["day_offsets"])}
    pieces = {name: "|".join(stems) for name, stems in lists.items()} | {"b": WORD_START}

    def filled(key: str, template: object) -> str:
        if not isinstance(template, str) or not template:
            fail(f"{key} must be a non-empty regex string")
        unknown = sorted({m[1] for m in _PLACEHOLDER.finditer(template)} - set(pieces))
        if unknown:
            fail(f"{key} names no piece {', '.join('{' + u + '}' for u in unknown)}")
        return _PLACEHOLDER.sub(lambda m: pieces[m[1]], template)

    for name, template in table["pieces"].items():
        if name in pieces:
            fail(f"[pieces] {name} is already the name of a list")
        pieces[name] = compiled(f"[pieces] {name}", filled(f"[pieces] {name}", template))

    month_words = [w for m in table["months"] for w in stem_words(m)]
    _check_keys(path, table["needs"], set(TIME_KINDS), "[needs] ")
    needs = {}
    for kind, words in table["needs"].items():
        if not (isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)):
            fail(f"[needs] {kind} must be a non-empty list of words")
        needs[kind] = tuple(x for w in words for x in (month_words if w == "{M}" else [w]))

    patterns = []
    if not (isinstance(table["patterns"], list) and all(isinstance(p, dict) for p in table["patterns"])):
        fail("patterns must be [[patterns]] tables")
    for i, p in enumerate(table["patterns"]):
        kind = p.get("kind")
        key = f"patterns[{i}] ({kind})"
        _check_keys(path, p, {"kind", "regex"}, f"{key} ")
        if kind not in TIME_KINDS:
            fail(f"{key}: unknown kind; the kinds are {', '.join(TIME_KINDS)}")
        regex = compiled(key, filled(key, p["regex"]), lower=True)
        if not regex.startswith(WORD_START):
            fail(f"{key} must start with the word-start test {{b}}")
        patterns.append((kind, regex))
    missing = [k for k in TIME_KINDS if k not in {k for k, _ in patterns}]
    if missing:
        fail(f"no pattern of the kind(s) {', '.join(missing)}")

    return CalendarWords(
        months=tuple(table["months"]), weekdays=tuple(table["weekdays"]), ordinals=tuple(table["ordinals"]),
        cardinals=tuple(table["cardinals"]), halves=tuple(table["halves"]), timeless=tuple(table["timeless"]),
        comparison_base=compiled("comparison_base", table["comparison_base"]),
        day_months=tuple(w for m in table["day_months"] for w in stem_words(m)),
        relative_years=dict(table["relative_years"]), day_offsets=dict(table["day_offsets"]), base_before=roles["base"], to_before=roles["to"],
        since_before=roles["since"], than_before=roles["than"], patterns=tuple(patterns), needs=needs)


def _check_keys(path: Path, table: dict, want: set[str], where: str = "") -> None:
    """The table has each of `want` and no other key: else an error naming the file."""
    missing, unknown = sorted(want - set(table)), sorted(set(table) - want)
    if missing or unknown:
        raise LexiconError(f"{path}: {where}" + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])))


def build() -> Lexicon:
    """The lexicon from the tables in etl/lexicon/ (no cache)."""
    decl = _declension()
    entities, prefixes, members, country_names = _entities(decl)
    by_first: dict[str, list[EntityName]] = defaultdict(list)
    for e in entities:
        for form in e.words[0]:
            by_first[form].append(e)
    names_by_first = {k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in by_first.items()}

    ind = _read_toml("indicators.toml")
    _check_indicator_sections(ind)
    indicator_lemmas: dict[str, str] = {}
    phrases: list[tuple[tuple[str, ...], str]] = []
    for name in INDICATORS:
        for lem in ind[name]["lemmas"]:
            indicator_lemmas[lem] = name
        for ph in ind[name].get("phrases", []):
            phrases.append((tuple(ph), name))

    num = _read_toml("numerals.toml")
    speech = _speech()
    cur_lemmas, cur_forms, cur_symbols = {}, {}, {}
    for row in _read_csv("currencies.csv"):
        for x in _split(row["lemmas"]):
            cur_lemmas[x] = row["code"]
        for x in _split(row["forms"]):
            cur_forms[x] = row["code"]
        for x in _split(row["symbols"]):
            cur_symbols[x] = row["code"]
    # "азербайджанских манатов" is AZN though "манат" alone reads as TMT: the adjective decides
    qualifiers = {adj: row["code"] for row in _read_csv("currencies.csv") for adj in _split(row["qualifiers"])}

    return Lexicon(
        names_by_first=names_by_first,
        compound_prefixes=prefixes,
        bloc_members=members,
        bloc_names={row["code"]: tuple(_split(row["names"])) for row in _read_csv("blocs.csv")},
        country_names=country_names,
        indicator_lemmas=indicator_lemmas,
        indicator_phrases=tuple(phrases),
        signing_lemmas=frozenset(ind["agreements"]["signing"]),
        sending_lemmas=frozenset(ind["aid"]["sending"]),
        not_bilateral_lemmas=frozenset(ind["not_bilateral"]["lemmas"]),
        not_bilateral_phrases=tuple(tuple(p) for p in ind["not_bilateral"]["phrases"]),
        foreign_only_lemmas=frozenset(ind["not_bilateral"]["unless_paired"]),
        subnational_nouns=frozenset(ind["subnational"]["lemmas"]),
        other_statistics=frozenset(ind["other_statistics"]["lemmas"]),
        subset_adjectives=frozenset(ind["subset"]["adjectives"]),
        whole_trade_nouns=frozenset(ind["subset"]["whole"]),
        scales=num["scales"],
        groups=num["groups"],
        ratio_adverbs=num["ratio_adverbs"],
        ratio_verbs=num["ratio_verbs"],
        fractions=num["fractions"],
        ratio_verb_forms=_forms_of(num["ratio_verbs"]),
        fraction_forms=_forms_of(num["fractions"]),
        bare_scale_forms={**{f: v for w, v in num["bare_scales"].items() for f in singular_forms(w)},
                          **num["half_scales"]},
        outlet_domains={row["domain"].strip().lower(): row["code"].strip() for row in _read_csv("outlets.csv")},
        speech_verbs=speech["verbs"],
        office_words=speech["titles"],
        speaker_pronouns=speech["pronouns"],
        currency_lemmas=cur_lemmas,
        currency_forms=cur_forms,
        currency_symbols=cur_symbols,
        currency_qualifiers=qualifiers,
        chrome_headings=tuple(_read_toml("chrome.toml")["block_headings"]),
        # the cue lists as sets: the rules only ask whether a word is in one, for every word near a figure
        cues={table: {name: frozenset(words) for name, words in lists.items()}
              for table, lists in _read_toml("cues.toml").items()},
        number_forms=_forms_of(num["units"]),
        scale_forms=_forms_of(num["scales"]),
        group_forms=_forms_of(num["groups"]),
        currency_word_forms={**_hard_masculine_forms(cur_lemmas, decl), **_forms_of(cur_lemmas), **cur_forms},
        count_noun_forms=_forms_of({w: w for w, i in indicator_lemmas.items() if i == "agreements"}),
        words=_word_lists(FunctionWords, "function_words.toml"),
        calendar=_calendar_words(),
        sides=_word_lists(SideWords, "sides.toml"),
        text=_text_rules(),
        figures=_figure_words(),
        unit_words={k: frozenset(v) for k, v in num["unit_words"].items()},
        currency_by_side={(r["currency"], r["side"]): r["becomes"] for r in _read_csv("currency_by_side.csv")},
        currency_by_side_units=frozenset(r["currency"] for r in _read_csv("currency_by_side.csv")),
    )
