"""Document -> diplomacy events (../shared/spec/events.md): visits, talks, calls, signings, relations.

Data flows one way: text -> sentences with an event word (a prefilter of their forms) -> the words of
events in each (`Trigger`) -> each field decided by the named rules of etl/event_rules.py (`EventAsk`)
-> one record per event per document (`_merge`): mentions of the same type, pair and date are one
event, whose sentence is the first that states it; talks and signings take the host, level and date
of the visit they belong to. The sides, quotations («наша страна»), times and sentences are the
claims' own machinery (etl/sentence.py, etl/countries.py, etl/speakers.py, etl/periods.py)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from etl.countries import Mention, find_mentions, rank_context
from etl.event_rules import BOOK, rule
from etl.event_words import EventWords, city_country, event_words
from etl.lazy import lazy
from etl.extract import _prefilters, collector_paused
from etl.lexicon import Lexicon, load, per_word
from etl.model import Document, contract_dict
from etl.morph import word_info
from etl.numbers import tokenize
from etl.periods import TimeExpr
from etl.reading import reading_of
from etl.rules import SKIP, Trace
from etl.sentence import Sentence
from etl.text import Sentences, heading_of
from etl.vocabulary import EVENT_FIELDS, LEVELS

_SIGNING_DOC_REACH = 10  # tokens around a word of signing in which a document noun makes it a signing
_SESSION_BODY_REACH = 4  # tokens after «заседание» in which its body is named
_TREATY_REACH = 12  # tokens between a treaty's noun and «от <date>»
_DAY = re.compile(r"\d{4}-\d{2}(?:-\d{2})?$")


@dataclass(slots=True)
class Event:
    doc_id: str
    type: str
    countries: list[str]
    host: str | None
    level: str
    date: str | None
    modality: str
    count: int | None
    text: str
    span: list[int]
    sentence: str
    sentence_span: list[int]
    # Not a contract field: which named rule decided each field (etl/event_rules.py)
    trace: dict[str, str] | None = field(default=None, compare=False, repr=False)

    def to_dict(self, explain: bool = False) -> dict:
        return contract_dict(self, explain)


@dataclass(frozen=True)
class Trigger:
    kind: str  # visit | talks | call | signing | relations
    first: int  # token indices of its words in the sentence, inclusive
    last: int
    weak: bool = False  # «обсудили»: talks only when nothing else says what the contact was
    treaty: TimeExpr | None = None  # «Договор … от 8 апреля 1997 года»: the date in the treaty's name


@dataclass(frozen=True)
class Place:
    tok: int  # the token index of the place's (last) word
    code: str
    kind: str  # a mention's kind, or "city"
    after_in: bool  # «в Бишкеке», «в столице России»: a place something happens in or goes to


@dataclass(frozen=True, eq=False)
class EventDoc:
    """What every event of one document reads: its id, date, pair and the events' language pack."""

    doc_id: str
    published: date | None
    pair: tuple[str, ...]  # the document's sides, most salient first
    lex: Lexicon
    words: EventWords
    calls: list  # sentence indices where a call was stated (filled while reading)
    arrivals: list  # (pair, day) of the visits read so far that are dated by a single day (filled while reading)
    treaties: dict  # sentence index -> the treaties it names with their date (`_treaties`)
    # what the rules read of one sentence, once for all its event words: (what, sentence index) -> it
    per_sentence: dict = field(default_factory=dict)


class EventAsk:
    """The question the rules answer for one event word of one sentence."""

    def __init__(self, s: Sentence, trig: Trigger, doc: EventDoc, destination: Place | None = None) -> None:
        self.s, self.trig, self.doc, self.destination = s, trig, doc, destination
        self.words, self.lex = doc.words, doc.lex
        self.type: str | None = None
        self.countries: list[str] | None = None

    @property
    def lemmas(self) -> list[str]:
        return self.s.lemmas

    @lazy
    def clause(self) -> tuple[int, int]:
        """Token range [a, b) of the trigger's clause."""
        rel = self.s.toks[self.trig.first].start - self.s.start
        for a, b in self.s.clauses:
            if a <= rel < b:
                return _tok_at(self.s, a), _tok_at(self.s, b)
        return 0, len(self.s.toks)

    @lazy
    def places(self) -> list[Place]:
        key = ("places", self.s.index)
        if key not in self.doc.per_sentence:
            self.doc.per_sentence[key] = _places(self.s, self.lex)
        return self.doc.per_sentence[key]

    @property
    def named_level(self) -> str | None:
        """The highest office or leader the sentence names (a first name picks the person; a leader's
        office is the one held in the year of publication), read once for all its event words."""
        key = ("level", self.s.index)
        if key not in self.doc.per_sentence:
            year = self.doc.published.year if self.doc.published else None
            self.doc.per_sentence[key] = _named_level(self.s, self.words, year)
        return self.doc.per_sentence[key]

    @lazy
    def sides(self) -> list[str]:
        """The countries named in the sentence (blocs only when no country is), in order."""
        # «X и Y обсудили события …»: a verb of discussing has its sides before it, its topic after
        limit = self.trig.first if self.trig.weak else len(self.s.toks)
        codes = [m.code for m in self.s.mentions if m.code and m.kind != "bloc" and m.first < limit]
        codes += [p.code for p in self.places if p.kind == "city" and p.tok < limit]
        if not codes:
            codes = [m.code for m in self.s.mentions if m.code and m.first < limit]
        out: list[str] = []
        for c in codes:
            if c not in out:
                out.append(c)
        return out

    def near(self, lemmas: frozenset[str], reach: int, before: bool = True, after: bool = True) -> bool:
        i, j = self.trig.first, self.trig.last
        lo = max(0, i - reach) if before else i
        hi = min(len(self.s.toks), j + 1 + reach) if after else j + 1
        return any(self.lemmas[k] in lemmas for k in range(lo, hi))


def _tok_at(s: Sentence, rel: int) -> int:
    return bisect.bisect_left(s.starts, s.start + rel)


def _places(s: Sentence, lex: Lexicon) -> list[Place]:
    """The sides' names, capitals, «наша страна» and cities of the sentence, with whether «в» stands before."""
    ctx = event_words(lex).context
    preps, place_nouns = ctx["place_prepositions"], ctx["place_nouns"]
    toks, lemmas = s.toks, s.lemmas
    taken = set(s.mention_tokens)
    out = []

    def after_in(i: int) -> bool:
        # «в Бишкеке», «в столице России», «в г. Сочи»: «в», with only a place noun between (not «в четверг
        # вице-премьер Киргизии»: the time's «в»)
        k = i - 1
        while k >= 0 and i - k <= 2 and (lemmas[k] in place_nouns or toks[k].text == "."):
            k -= 1
        return k >= 0 and toks[k].lower in preps
    for m in s.mentions:
        if m.code and m.kind in ("name", "capital", "ours", "adjective", "leader", "compound", "bloc"):
            out.append(Place(m.first, m.code, m.kind, after_in(m.first)))
    for i, t in enumerate(toks):
        if i in taken or t.kind != "word" or not t.text[:1].isupper() or i == 0 and False:
            continue
        code = city_country(t.text, lex)
        if code:
            out.append(Place(i, code, "city", after_in(i)))
    out.sort(key=lambda p: p.tok)
    return out


# --------------------------------------------------------------------------- finding the event words


def find_triggers(s: Sentence, words: EventWords, treaties: list[Trigger]) -> list[Trigger]:
    """The event words of a sentence, with its named treaties (`_treaties`), in order."""
    toks, lemmas = s.toks, s.lemmas
    out: list[Trigger] = []
    used: set[int] = set()
    for phrase in words.call_phrases:
        n = len(phrase)
        for i in range(len(toks) - n + 1):
            if tuple(lemmas[i:i + n]) == phrase and not used.intersection(range(i, i + n)):
                out.append(Trigger("call", i, i + n - 1))
                used.update(range(i, i + n))
    for i, t in enumerate(toks):
        if t.kind != "word" or i in used:
            continue
        kind = words.trigger_type.get(t.lower)
        if kind is None:
            continue
        lem = lemmas[i]
        if kind == "talks":
            if lem in words.session_nouns and not any(lemmas[k] in words.session_bodies or _is_body(toks[k].lower, words)
                                              for k in range(i + 1, min(len(toks), i + 1 + _SESSION_BODY_REACH))):
                continue
            out.append(Trigger("talks", i, i, weak=lem in words.talks_weak))
        elif kind == "signing":
            reach = range(max(0, i - _SIGNING_DOC_REACH), min(len(toks), i + 1 + _SIGNING_DOC_REACH))
            if lem in words.prepared:
                reach = range(max(0, i - 3), min(len(toks), i + 6))
            if any(lemmas[k] in words.document_nouns for k in reach):
                out.append(Trigger("signing", i, i))
        elif kind == "relations":
            phrase = words.relations_phrase
            if any(tuple(lemmas[k:k + len(phrase)]) == phrase for k in range(len(toks))):
                out.append(Trigger("relations", i, i))
        else:
            out.append(Trigger(kind, i, i))
    out.extend(treaties)
    out.sort(key=lambda x: x.first)
    return out


def _is_body(low: str, words: EventWords) -> bool:
    """«межправкомиссии», «Межправсовета»: a compound the dictionary does not know, by its start."""
    return any(low.startswith(b[:8]) for b in words.session_bodies if len(b) > 8)


def _treaties(s: Sentence, lemmas: list[str], words: EventWords) -> list[Trigger]:
    """«Договор о вечной дружбе от 8 апреля 1997 года»: a capitalised document noun, then «от» and a day."""
    out = []
    prep = words.context["treaty_date_preposition"]
    for t in s.times_if_dated():
        if not (t.period and len(t.period) == 10 and t.role == "point"):
            continue
        k = _tok_at(s, t.start)
        if k < len(s.toks) and s.toks[k].lower not in prep:
            k -= 1  # the time starts at its day: «от» stands before it
        if not 0 <= k < len(s.toks) or s.toks[k].lower not in prep:
            continue
        for j in range(k - 1, max(-1, k - _TREATY_REACH), -1):
            tok = s.toks[j]
            if tok.kind == "word" and tok.text[0].isupper() and lemmas[j] in words.document_nouns:
                out.append(Trigger("signing", j, _tok_at(s, t.end) - 1, treaty=t))
                break
    return out


# --------------------------------------------------------------------------- the rules


@rule("type.invitation")
def _invitation(q: EventAsk):
    return None if q.near(q.words.context["invitation"], 4) else SKIP


@rule("type.back-reference")
def _back_reference(q: EventAsk):
    i = q.trig.first
    before = {q.lemmas[k] for k in range(max(0, i - 2), i)}
    after = {q.lemmas[k] for k in range(i + 1, min(len(q.lemmas), i + 2))}
    ctx = q.words.context["back_reference"]
    if q.trig.treaty is None and (before | after) & ctx:
        return None
    return SKIP


@rule("type.repeated-visits")
def _repeated_visits(q: EventAsk):
    # «взаимные визиты», «визиты на высшем уровне стали регулярными»: a series, not one visit
    tok = q.s.toks[q.trig.first]
    if q.trig.kind == "visit" and q.lemmas[q.trig.first] in q.words.visit_nouns and word_info(tok.lower).plural:
        return None
    return SKIP


@rule("type.anniversary")
def _anniversary(q: EventAsk):
    if q.trig.kind != "relations":
        return SKIP
    ann = q.words.context["anniversary"]
    if any(q.lemmas[k] in ann or any(q.s.toks[k].lower.endswith(a) for a in ann)  # «30-летие»
           for k in range(max(0, q.trig.first - 4), q.trig.first + 1)):
        return None
    return SKIP


@rule("type.multilateral")
def _multilateral(q: EventAsk):
    ctx = q.words.context
    i = q.trig.last
    nxt = q.lemmas[i + 1:i + 3]
    if len(nxt) == 2 and nxt[0] in ctx["multilateral_heads"] and nxt[1] in ctx["multilateral_of"] \
            and word_info(q.s.toks[i + 1].lower).plural:
        return None
    if q.trig.kind == "visit" and any(q.lemmas[k] in ctx["multilateral_events"]
                                      for k in range(i + 1, min(len(q.lemmas), q.clause[1]))):
        return None
    return SKIP


@rule("type.company-contract")
def _company(q: EventAsk):
    if q.trig.kind != "signing" or q.trig.treaty is not None:
        return SKIP
    stems = q.words.context["company_stems"]
    a, _ = q.clause
    for k in range(a, q.trig.first):
        low = q.s.toks[k].lower
        if any(st in low for st in stems):  # «банк», «Амонатбанк», «компании»
            return None
    return SKIP


def _has_official(q: EventAsk) -> bool:
    for k in range(len(q.lemmas)):
        if q.words.office_level(q.lemmas, k) or q.lemmas[k] in q.words.context["office_holder_words"]:
            return True
    return any(m.kind == "leader" for m in q.s.mentions)


@rule("type.nobody-travels")
def _nobody_travels(q: EventAsk):
    if q.trig.kind == "visit" and q.lemmas[q.trig.first] in q.words.visit_verbs and not _has_official(q):
        return None
    return SKIP


@rule("type.own-country")
def _own_country(q: EventAsk):
    if q.trig.kind != "visit" or q.destination is None:
        return SKIP
    travellers = _travellers(q)
    return None if travellers and travellers[0] == q.destination.code else SKIP


@rule("type.part-of-call")
def _part_of_call(q: EventAsk):
    if q.trig.kind == "talks" and q.trig.weak and q.doc.calls and min(q.doc.calls) <= q.s.index:
        return None
    return SKIP


@rule("type.treaty-with-date")
def _treaty(q: EventAsk):
    return "signing" if q.trig.treaty is not None else SKIP


@rule("type.event-word")
def _event_word(q: EventAsk):
    return q.trig.kind


def _travellers(q: EventAsk) -> list[str]:
    """The sides of the people in the sentence other than the destination, the likeliest first: the
    side named next to an office or a leader nearest before the word of travel («премьер-министром
    Таджикистана …, который приехал»), then the others in order."""
    dest = q.destination.tok if q.destination else -1
    reports = q.words.context["report_verbs"]
    # «…, сообщила пресс-служба президента Узбекистана»: the source of the report travels nowhere
    end = next((k for k in range(q.trig.last + 1, len(q.lemmas)) if q.lemmas[k] in reports), len(q.lemmas))
    ms = [m for m in q.s.mentions if m.code and m.first != dest and m.kind != "bloc" and m.first < end]

    def by_person(m: Mention) -> bool:
        if m.kind == "leader":
            return True
        for k in range(max(0, m.first - 4), m.first):  # «посол Армении», «премьер-министром Таджикистана»
            hit = q.words.office_level(q.lemmas, k)
            if hit and k + hit[1] == m.first:
                return True
        # «китайского лидера»: an adjective of a side right before an office
        return m.kind == "adjective" and m.last + 1 < len(q.lemmas) and q.words.office_level(q.lemmas, m.last + 1) is not None
    people = [m for m in ms if by_person(m)]
    near = sorted((m for m in people if m.first < q.trig.first), key=lambda m: q.trig.first - m.first)
    return list(dict.fromkeys([m.code for m in near[:1]] + [m.code for m in people] + [m.code for m in ms]))


def _destinations(q: EventAsk) -> list[Place]:
    """Where a visit goes: the first place after its word («посетил нашу страну», «визит в Москву»), then
    the places listed after it with no verb between («посетить Узбекистан, а потом Таджикистан»); else
    a place «в …» before it («Каримов в Пекине: итоги визита»)."""
    i = q.trig.last
    transitive = q.lemmas[q.trig.first] in q.words.visit_transitive
    after = [p for p in q.places if p.tok > i and (p.after_in or (transitive and p.kind in ("name", "ours", "capital", "city")))
             and p.kind in ("name", "ours", "capital", "city")]
    if after:
        out = [after[0]]
        for p in after[1:]:
            between = range(out[-1].tok + 1, p.tok)
            if any(q.s.toks[k].kind == "word" and word_info(q.s.toks[k].lower).pos in ("VERB", "INFN", "PRTF", "GRND")
                   for k in between):
                break
            out.append(p)
        return out
    before = [p for p in q.places if p.tok < q.trig.first and p.after_in and p.kind in ("name", "ours", "capital", "city")]
    return before[-1:] if before else []


@rule("countries.traveller-and-destination")
def _traveller_and_destination(q: EventAsk):
    if q.type != "visit":
        return SKIP
    dest = q.destination
    travellers = [c for c in _travellers(q) if dest is None or c != dest.code]
    if dest is None:
        if not travellers:
            return SKIP
        host = next((c for c in q.doc.pair if c != travellers[0]), None)
        return sorted({travellers[0], host}) if host else SKIP
    traveller = travellers[0] if travellers else next((c for c in q.doc.pair if c != dest.code), None)
    return sorted({traveller, dest.code}) if traveller and traveller != dest.code else SKIP


def _rank(q: EventAsk, codes: list[str]) -> list[str]:
    order = {c: k for k, c in enumerate(q.doc.pair)}
    return sorted(codes, key=lambda c: order.get(c, len(order) + codes.index(c)))


@rule("countries.two-named")
def _two_named(q: EventAsk):
    sides = q.sides
    if len(sides) < 2:
        return SKIP
    return sorted(_rank(q, sides)[:2])


@rule("countries.one-named-and-main-side")
def _one_named(q: EventAsk):
    if len(q.sides) != 1:
        return SKIP
    other = next((c for c in q.doc.pair if c != q.sides[0]), None)
    return sorted([q.sides[0], other]) if other else SKIP


@rule("countries.article-pair")
def _article_pair(q: EventAsk):
    return sorted(q.doc.pair[:2]) if len(q.doc.pair) >= 2 and not q.sides else SKIP


@rule("countries.none")
def _no_pair(q: EventAsk):
    return None


@rule("host.not-placed")
def _not_placed(q: EventAsk):
    return None if q.type in ("call", "relations") else SKIP


@rule("host.destination")
def _host_destination(q: EventAsk):
    if q.type != "visit":
        return SKIP
    if q.destination is not None:
        return q.destination.code
    travellers = _travellers(q)
    return next((c for c in q.countries if not travellers or c != travellers[0]), SKIP)


@rule("host.place-named")
def _place_named(q: EventAsk):
    a, b = q.clause
    for p in q.places:
        if a <= p.tok < b and p.after_in and p.kind in ("name", "capital", "ours", "city") and p.code in q.countries:
            return p.code
    return SKIP


@rule("host.none")
def _no_host(q: EventAsk):
    return None


@rule("level.highest-named")
def _highest(q: EventAsk):
    return q.named_level or SKIP


def _named_level(s: Sentence, words: EventWords, year: int | None) -> str | None:
    """The highest level of the offices and leaders a sentence names, None when it names none."""
    found = []
    lemmas = s.lemmas
    for k in range(len(lemmas)):
        hit = words.office_level(lemmas, k)
        if hit:
            found.append(hit[0])
    for m in s.mentions:
        if m.kind == "leader":
            first_name = s.toks[m.first - 1].lower if m.first > 0 and s.toks[m.first - 1].text[:1].isupper() else None
            surname = _leader_surname(" ".join(t.lower for t in s.toks[m.first:m.last + 1]), s.lex)
            level = words.leader_level(surname, year, first_name) if surname else None
            if level:
                found.append(level)
    return min(found, key=LEVELS.index) if found else None


@per_word
def _leader_surname(low: str, lex: Lexicon) -> str | None:
    """The surname a leader's mention, in any case («Путиным», «Жапарова»), starts like."""
    for surname in event_words(lex).leader_roles:
        if low.startswith(surname) or low.split()[-1].startswith(surname) or surname in low:
            return surname
    return None


@rule("level.none-named")
def _none_named(q: EventAsk):
    return "other"


def _event_times(q: EventAsk) -> list[TimeExpr]:
    """The times in the trigger's clause (or before it in the sentence) that date an event (a day, a
    weekday, «сегодня», a month), not those next to a verb of reporting («в субботу сообщил»)."""
    s = q.s
    a, b = q.clause
    reports = q.words.context["report_verbs"]
    out = []
    named = {t.treaty.start for t in q.doc.treaties[s.index]} if q.trig.treaty is None else set()
    # (a sentence without a day or a month is read for its times only if it has a year: one may date it)
    for t in s.times_if_dated() or (s.times if _YEAR_IN.search(s.text) else ()):
        if not t.period or t.role != "point" or t.start in named:
            continue  # (a treaty's own date dates no other event)
        k0, k1 = _tok_at(s, t.start), _tok_at(s, t.end)
        if not (t.event or _DAY.match(t.period) or _YEAR.fullmatch(t.period) and _next_to(q, k0, k1)):
            continue
        if q.trig.weak and k0 > q.trig.last:
            continue  # «обсудили события 28–30 апреля»: the topic's time
        if not (a <= k0 < b or k0 < q.trig.first and (a == 0 or k0 < a) and _in_lead(s, k0, a)):
            continue
        if any(0 <= k < len(q.lemmas) and q.lemmas[k] in reports for k in (k0 - 1, k1)):
            continue
        out.append(t)
    return out


_YEAR = re.compile(r"\d{4}")
_INFINITIVE_REACH = 4  # words from an infinitive to the event it plans: «провести в 2024 году заседание»
_YEAR_IN = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_YEAR_REACH = 2  # words between a year and the event word it dates: «в 2019 году премьер посетил»


def _next_to(q: EventAsk, k0: int, k1: int) -> bool:
    """A time right next to the event word: only then does a bare year date it (a year further off in the
    sentence is most often a figure's)."""
    return 0 <= q.trig.first - k1 <= _YEAR_REACH or 0 <= k0 - q.trig.last - 1 <= _YEAR_REACH


def _in_lead(s: Sentence, k0: int, a: int) -> bool:
    """A time that opens the sentence dates what follows it («2 июля … начал визит»)."""
    return k0 <= 2


@rule("date.treaty-date")
def _treaty_date(q: EventAsk):
    return q.trig.treaty.period if q.trig.treaty is not None else SKIP


_RANGE = re.compile(r"(\d{1,2})\s*[–—-]\s*(\d{1,2})\s+(\w+)")


@rule("date.day-range")
def _day_range(q: EventAsk):
    for t in _event_times(q):
        m = _RANGE.match(q.s.text[t.start:t.end])
        if m and t.period and len(t.period) == 7:
            d1, d2 = int(m.group(1)), int(m.group(2))
            try:
                return f"{date(int(t.period[:4]), int(t.period[5:7]), d1).isoformat()}/" \
                       f"{date(int(t.period[:4]), int(t.period[5:7]), d2).isoformat()}"
            except ValueError:
                return SKIP
    return SKIP


@rule("date.time-of-event")
def _time_of_event(q: EventAsk):
    times = _event_times(q)
    if not times:
        return SKIP
    at = q.s.toks[q.trig.first].start - q.s.start
    return min(times, key=lambda t: abs(t.start - at)).period


@rule("date.after-arrival")
def _after_arrival(q: EventAsk):
    # «После прилёта лидеры направились на встречу»: the meeting follows the arrival stated before it
    ctx, lemmas = q.words.context, q.lemmas
    after = any(lemmas[k] in ctx["sequence_prepositions"] and lemmas[k + 1] in ctx["arrival_nouns"]
                for k in range(q.trig.first - 1))
    if not after:
        return SKIP
    pair = tuple(q.countries or ())
    day = next((d for p, d in reversed(q.doc.arrivals) if p == pair), None)
    return day or SKIP


@rule("date.none")
def _no_date(q: EventAsk):
    return None


@rule("modality.planned-word")
def _planned(q: EventAsk):
    a, b = q.clause
    # «договорились провести заседание», «намерены организовать встречу»: the event is an infinitive's object
    if any(q.s.toks[k].kind == "word" and word_info(q.s.toks[k].lower).infinitive
           for k in range(max(a, q.trig.first - _INFINITIVE_REACH), q.trig.first)):
        return "planned"
    planned = q.words.context["planned"]
    reports = q.words.context["report_verbs"]
    for k in range(a, b):
        t = q.s.toks[k]
        if t.kind != "word":
            continue
        if k > q.trig.last and (q.lemmas[k] in reports or q.lemmas[k] in q.words.context["clause_openers"]) \
                and not _about_the_event(q, k):
            break  # a clause of its own: «заявил, что … намерены», «документы, которые выведут …»
        info = word_info(t.lower)
        if q.lemmas[k] in planned or info.tense == "futr":
            return "planned"
    return SKIP


def _about_the_event(q: EventAsk, k: int) -> bool:
    """A relative clause about the event's own noun («визита …, который пройдет 13–15 июня»): its
    pronoun agrees in number with the noun (not «подписали документы, которые выведут …»)."""
    head = word_info(q.s.toks[q.trig.first].lower)
    return q.lemmas[k] in q.words.context["relative_pronouns"] and head.pos == "NOUN" \
        and word_info(q.s.toks[k].lower).plural == head.plural


@rule("modality.actual")
def _actual(q: EventAsk):
    return "actual"


@rule("count.not-signing")
def _not_signing(q: EventAsk):
    return None if q.type != "signing" else SKIP


@rule("count.named-treaty")
def _named_treaty(q: EventAsk):
    return 1 if q.trig.treaty is not None else SKIP


@rule("count.figure")
def _count_figure(q: EventAsk):
    a, b = q.clause
    for f in q.s.figures:
        if f.unit == "count" and a <= f.first < b and f.value == int(f.value):
            return int(f.value)
    return SKIP


@rule("count.none")
def _no_count(q: EventAsk):
    return None


# --------------------------------------------------------------------------- the pipeline


@dataclass
class _Mention:
    """One statement of an event: what the rules decided for one event word."""

    sentence: Sentence
    trig: Trigger
    type: str
    countries: list[str]
    host: str | None
    level: str
    named_level: bool  # a participant was named (else the level may come from the visit)
    date: str | None
    modality: str
    count: int | None
    start: int  # the event's words, absolute offsets
    end: int
    trace: dict[str, str]


@dataclass(frozen=True)
class EventRejection:
    """An event word that made no event, and the rules that decided so (the last field of `trace` says why)."""

    text: str
    sentence: str
    trace: dict[str, str]


def extract_events(doc: Document, lex: Lexicon | None = None) -> list[Event]:
    with collector_paused():  # (as claims are read: see there)
        return _extract(doc, lex or load())


def event_rejections(doc: Document, lex: Lexicon | None = None) -> list[EventRejection]:
    out: list[EventRejection] = []
    with collector_paused():
        _extract(doc, lex or load(), out)
    return out


def _decide(q: EventAsk, why: Trace) -> _Mention | None:
    q.type = BOOK.decide("type", q, why)
    if q.type is None:
        return None
    if q.type == "visit" and q.destination is None:
        dests = _destinations(q)
        q.destination = dests[0] if dests else None
    q.countries = BOOK.decide("countries", q, why)
    if not q.countries or len(set(q.countries)) != 2:
        return None
    host = BOOK.decide("host", q, why)
    level = BOOK.decide("level", q, why)
    date_ = BOOK.decide("date", q, why)
    modality = BOOK.decide("modality", q, why)
    count = BOOK.decide("count", q, why)
    s, trig = q.s, q.trig
    start = s.toks[trig.first].start
    end = s.toks[trig.last].end
    if q.type == "visit" and q.destination is not None and q.destination.tok > trig.last:
        end = s.toks[q.destination.tok].end
    if count is not None and trig.treaty is None:
        for f in s.figures:
            if f.unit == "count" and f.value == count and f.first > trig.last:
                end = max(end, s.toks[f.last].end + _noun_after(s, f.last))
    return _Mention(s, trig, q.type, q.countries, host, level, why.fields.get("level") == "level.highest-named",
                    date_, modality, count, start, end, why.as_dict())


def _noun_after(s: Sentence, last: int) -> int:
    """The length the counted noun adds after a figure («7 соглашений»)."""
    if last + 1 < len(s.toks) and s.toks[last + 1].kind == "word":
        return s.toks[last + 1].end - s.toks[last].end
    return 0


def _candidates(sents: Sentences, low: str, text: str, words: EventWords) -> list[int]:
    """The sentences with an event word, or a treaty's name and date: each pattern runs once over
    the text, its matches are placed in sentences by their offsets."""
    starts, ends = sents.spans
    if not starts:
        return []
    found: set[int] = set()
    hits = [m.span() for m in words.prefilter.finditer(low, starts[0], ends[-1])]
    hits += [m.span() for m in words.treaty_prefilter.finditer(text, starts[0], ends[-1])]
    for a, b in hits:
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and b <= ends[i]:
            found.add(i)
    return sorted(found)


def _extract(doc: Document, lex: Lexicon, rejected: list[EventRejection] | None = None) -> list[Event]:
    text = doc.text
    if not text or not text.strip():
        return []
    words = event_words(lex)
    low = text.lower()
    first = words.prefilter.search(low) or words.treaty_prefilter.search(text)
    if first is None:
        return []
    reading = reading_of(doc, lex)  # the claims' reading of this document, when they were just extracted
    pre = _prefilters(lex)  # the page's blocks of other news end the article, as for claims
    end = len(text)
    if m := pre.chrome_after_break.search(text, first.start()):
        end = m.start() + 1
    sents = reading.sentences(end)
    candidates = _candidates(sents, low, text, words)
    if not candidates:
        return []
    published, outlet = reading.published, reading.outlet

    def get(i: int) -> Sentence:
        return reading.sentence(sents, i)

    lead = [get(i) for i in range(min(3, len(sents)))]
    title = doc.title or heading_of(text) or text[:200].split("\n")[0]
    title_mentions = lead[0].mentions if lead and lead[0].text == title else find_mentions(tokenize(title, 0), lex, outlet)
    treaties = {i: _treaties(get(i), get(i).lemmas, words) for i in candidates}
    found = [(get(i), find_triggers(get(i), words, treaties[i])) for i in candidates]
    weighted = [(title_mentions, 3)] + [(s.mentions, 2) for s in lead] + [(s.mentions, 1) for s, trigs in found if trigs]
    ctx = EventDoc(doc.id, published, tuple(rank_context(weighted)), lex, words, [], [], treaties)
    mentions: list[_Mention] = []
    for s, trigs in found:
        if any(t.kind == "call" for t in trigs):
            ctx.calls.append(s.index)
        for trig in trigs:
            if trig.kind == "talks" and trig.weak and any(t.kind == "call" for t in trigs):
                continue  # «обсудили по видеосвязи»: the call's own verb
            probe = EventAsk(s, trig, ctx)
            dests = _destinations(probe) if trig.kind == "visit" else []
            for dest in dests or [None]:
                why = Trace(EVENT_FIELDS)
                q = EventAsk(s, trig, ctx, dest)
                m = _decide(q, why)
                if m is None:
                    if rejected is not None:
                        rejected.append(EventRejection(text[s.toks[trig.first].start:s.toks[trig.last].end], s.text,
                                                       why.as_dict()))
                    continue
                mentions.append(m)
                if m.type == "visit" and m.date and len(m.date) == 10:
                    ctx.arrivals.append((tuple(m.countries), m.date))
    return _finalize(doc.id, text, _merge(mentions))


def _merge(mentions: list[_Mention]) -> list[list[_Mention]]:
    """One group per event: mentions of the same type and pair are one event unless their dates differ;
    an undated mention joins the first event of its type and pair, and the first undated event takes
    the date a later mention gives it. Then talks and signings take what they lack from their visit."""
    groups: list[list[_Mention]] = []
    by_key: dict[tuple, list[list[_Mention]]] = {}
    for m in mentions:
        key = (m.type, tuple(m.countries))
        existing = by_key.setdefault(key, [])
        target = None
        if m.date is None:
            target = existing[0] if existing else None
        else:
            target = next((g for g in existing if _date_of(g) == m.date), None)
            # a treaty named with its date is its own signing; a meeting placed on the arrival day is one
            # of the visit's meetings, not the undated talks the text names as the visit's
            # (nor does a visit to the other side: «посетил Узбекистан в 2015 году» after a visit to India)
            if target is None and m.trig.treaty is None and m.trace.get("date") != "date.after-arrival":
                target = next((g for g in existing if _date_of(g) is None and g[0].trig.treaty is None
                               and all(x.host in (None, m.host) for x in g if m.host)), None)
        if target is None:
            target = []
            existing.append(target)
            groups.append(target)
        target.append(m)
    return groups


def _date_of(group: list[_Mention]) -> str | None:
    return next((m.date for m in group if m.date), None)


def _finalize(doc_id: str, text: str, groups: list[list[_Mention]]) -> list[Event]:
    """Each group as one event: the first mention's words and sentence, the date, host and count the
    group gives, the highest level named in it; then talks and signings take what they lack from the
    visit of their pair (and a visit the date of its one dated meeting)."""
    events: list[Event] = []
    pending_level: list[bool] = []
    for g in groups:
        m0 = g[0]
        trace = dict(m0.trace)
        date_ = m0.date
        if date_ is None and (later := next((m for m in g if m.date), None)):
            date_, trace["date"] = later.date, "date.merged-mention"
        host_from = next((m for m in g if m.host), None)
        host = host_from.host if host_from else None
        if host_from is not None and host_from is not m0:
            trace["host"] = host_from.trace["host"]
        named = [m.level for m in g if m.named_level]
        level = min(named, key=LEVELS.index) if named else "other"
        if named and not m0.named_level:
            trace["level"] = "level.highest-named"
        count = next((m.count for m in g if m.count is not None), None)
        if count is not None and m0.count is None:
            trace["count"] = "count.figure"
        s = m0.sentence
        events.append(Event(doc_id, m0.type, list(m0.countries), host, level, date_, m0.modality, count,
                            text[m0.start:m0.end], [m0.start, m0.end], s.text, [s.start, s.end], trace))
        pending_level.append(not named and m0.trig.treaty is None and m0.type in ("talks", "signing", "visit"))
    for e, pending in zip(events, pending_level):
        if e.type not in ("talks", "signing"):
            continue
        visit = next((v for v in events if v.type == "visit" and v.countries == e.countries), None)
        if visit is None:
            if pending:
                talks = next((t for t, p in zip(events, pending_level) if t.type == "talks" and not p
                              and t.countries == e.countries), None)
                if talks is not None:
                    e.level, e.trace["level"] = talks.level, "level.from-visit"
            continue
        if e.host is None and e.trace.get("date") != "date.treaty-date":
            e.host, e.trace["host"] = visit.host, "host.from-visit"
        if pending:
            e.level, e.trace["level"] = visit.level, "level.from-visit"
        if e.date is None and visit.date and (e.modality == "actual" or len(visit.date) != 10):
            e.date, e.trace["date"] = visit.date, "date.from-visit"
    for v in events:
        if v.type == "visit" and v.date is None and v.modality == "actual":
            dated = {t.date for t in events if t.type == "talks" and t.countries == v.countries and t.date
                     and t.modality == "actual" and t.trace.get("date") != "date.from-visit"}
            if len(dated) == 1:
                v.date, v.trace["date"] = dated.pop(), "date.from-activity"
        elif v.type == "visit" and v.date and len(v.date) == 10 and v.modality == "actual":
            start = date.fromisoformat(v.date)
            later = [d for t in events if t.type in ("talks", "signing") and t.countries == v.countries
                     and t.modality == "actual" and t.date and len(t.date) == 10
                     and 0 < (d := date.fromisoformat(t.date) - start).days <= _VISIT_DAYS]
            if later:
                v.date, v.trace["date"] = f"{v.date}/{(start + max(later)).isoformat()}", "date.visit-spans-activities"
    return events


_VISIT_DAYS = 6  # the longest a visit's days are taken to run: a later meeting is not part of it


def extract_document_events(doc: Document, lex: Lexicon | None = None) -> list[Event]:
    return extract_events(doc, lex)
