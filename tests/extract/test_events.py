"""Diplomacy events (etl/events.py): scored on the gold sets by the contract scorer's own evaluate()
(tests/fixtures/score_events.py), the output locked per gold set (tests/golden/events_*.jsonl), every
named rule's example sentence (our own words) decided by that rule, the contract's vocabularies, and
the `events` command's handling of bad input."""
from __future__ import annotations

import importlib.util
import inspect
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from etl.event_rules import BOOK, EVENT_RULES, EVENT_RULE_RECORDS, explain_event
from etl.events import event_rejections, extract_events
from etl.model import Document
from etl.periods import PERIOD_RE
from etl.vocabulary import BLOCS, EVENT_FIELDS, EVENT_MODALITIES, EVENT_TYPES, LEVELS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"

_spec = importlib.util.spec_from_file_location("score_events", FIXTURES / "score_events.py")
score_events = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_events)

FLOORS = tomllib.loads((FIXTURES / "score_floors.toml").read_text(encoding="utf-8"))["events"]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def events_of(docs_file: str, explain: bool = False) -> list[dict]:
    return [e.to_dict(explain) for d in read_jsonl(FIXTURES / docs_file)
            for e in extract_events(Document.from_dict(d))]


@pytest.mark.parametrize("name", FLOORS)
def test_event_scores_meet_their_floors(name):
    floor = FLOORS[name]
    docs = read_jsonl(FIXTURES / floor["docs"])
    result, pairs, gold, pred = score_events.evaluate(read_jsonl(FIXTURES / floor["gold"]), events_of(floor["docs"]),
                                                      [d["id"] for d in docs])
    missed = [(g["doc_id"], g["type"], g["text"]) for i, g in enumerate(gold) if i not in {a for a, _ in pairs}]
    false = [(p["doc_id"], p["type"], p["text"]) for i, p in enumerate(pred) if i not in {b for _, b in pairs}]
    assert result["f1"] >= floor["f1"], f"{name}: F1 {result['f1']} < {floor['f1']}; missed {missed}; false {false}"
    assert result["strict_f1"] >= floor["strict_f1"], f"{name}: strict F1 {result['strict_f1']} < {floor['strict_f1']}"


@pytest.mark.parametrize("name", FLOORS)
def test_the_event_output_on_each_gold_set_is_unchanged(name, request):
    """The whole output with its traces, event by event; a change meant to move events rewrites it with
    --update-golden, and the diff is reviewed in the commit."""
    path = GOLDEN / f"events_{name}.jsonl"
    now = events_of(FLOORS[name]["docs"], explain=True)
    if request.config.getoption("--update-golden"):
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in now), encoding="utf-8")
        return
    before = read_jsonl(path)
    changed = [(a, b) for a, b in zip(before, now) if a != b]
    assert len(before) == len(now) and not changed, \
        f"{name}: {len(before)} -> {len(now)} events; first changes {changed[:3]} (if meant: --update-golden)"


@pytest.mark.parametrize("docs_file", ["docs.jsonl", "dev_docs.jsonl", "challenge_docs.jsonl", "challenge4_docs.jsonl"])
def test_every_event_satisfies_the_contract(docs_file):
    codes = None
    for d in read_jsonl(FIXTURES / docs_file):
        events = extract_events(Document.from_dict(d))
        keys = set()
        for e in events:
            text = d["text"]
            assert text[e.span[0]:e.span[1]] == e.text and e.text
            assert text[e.sentence_span[0]:e.sentence_span[1]] == e.sentence
            assert e.sentence_span[0] <= e.span[0] < e.span[1] <= e.sentence_span[1]
            assert e.type in EVENT_TYPES and e.level in LEVELS and e.modality in EVENT_MODALITIES
            assert e.countries == sorted(set(e.countries)) and len(e.countries) == 2
            assert all(re.fullmatch(r"[A-Z]{3}", c) or c in BLOCS for c in e.countries)
            assert e.host is None or e.host in e.countries
            assert (e.host is not None) == (e.type == "visit") or e.type in ("talks", "signing")
            assert e.type in ("visit", "talks", "signing") or e.host is None
            assert e.count is None or (e.type == "signing" and isinstance(e.count, int) and e.count > 0)
            assert e.date is None or PERIOD_RE.match(e.date), e.date
            key = (e.type, tuple(e.countries), e.date)
            assert key not in keys, f"{d['id']}: two records of one event {key}"
            keys.add(key)
    assert codes is None


WITH_EXAMPLES = [r for r in EVENT_RULES if r.example]


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=[r.name for r in WITH_EXAMPLES])
def test_each_event_rule_decides_its_example(rule):
    doc = Document(id="example", text=rule.example, published="2025-03-01")
    if rule.no_claim:  # a rule that turns an event word down: it makes no event, and the rule says why
        rejected = [r for r in event_rejections(doc) if r.trace.get(rule.field) == rule.name]
        said = [r.trace.get(rule.field) for r in event_rejections(doc)]
        assert rejected, f"{rule.name}: turned down by {said} instead"
        made = {e.text for e in extract_events(doc)}
        assert not any(r.text in made for r in rejected), f"{rule.name}: its example made an event of it"
        return
    events = extract_events(doc)
    assert events, f"{rule.name}: no event in its example"
    decided = [e for e in events if (e.trace or {}).get(rule.field) == rule.name]
    assert decided, f"{rule.name}: decided by {[e.trace.get(rule.field) for e in events]} instead"
    assert getattr(decided[0], rule.field) == rule.gives


def test_every_event_rule_is_registered_described_and_used():
    code = "\n".join((ROOT / "etl" / f).read_text(encoding="utf-8") for f in ("events.py",))
    named = set(re.findall(r'"((?:%s)\.[a-z0-9-]+)"' % "|".join(EVENT_FIELDS), code))
    assert named - set(EVENT_RULE_RECORDS) == set(), "rules named in etl/events.py without a record"
    assert set(EVENT_RULE_RECORDS) - named == set(), "records no code decides with"
    assert all(r.says and r.says_ru for r in EVENT_RULES)
    assert BOOK.missing() == []
    for f in EVENT_FIELDS:
        last = [r for r in EVENT_RULES if r.field == f and r.stage == "decide"][-1]
        assert "SKIP" not in inspect.getsource(BOOK._when[last.name]), f"{last.name} may not apply"
    assert explain_event({"type": "type.event-word"}, "ru")[0][2]


def test_a_leader_takes_the_level_of_the_office_held_that_year():
    text = "Владимир Путин провел переговоры с президентом Армении в Ереване."
    levels = {y: extract_events(Document(id="x", text=text, published=f"{y}-05-01"))[0].level for y in (2010, 2024)}
    assert levels == {2010: "head_of_state", 2024: "head_of_state"}  # the Armenian president is there too
    text = "Владимир Путин провел переговоры с министром иностранных дел Армении в Ереване."
    assert extract_events(Document(id="x", text=text, published="2010-05-01"))[0].level == "head_of_government"
    assert extract_events(Document(id="x", text=text, published="2024-05-01"))[0].level == "head_of_state"


def test_a_city_places_an_event_in_its_country():
    from etl.event_words import city_country
    from etl.lexicon import load

    lex = load()
    assert [city_country(w, lex) for w in ("Самарканде", "Казани", "Оше", "Чолпон-Ате", "Верный")] == \
        ["UZB", "RUS", "KGZ", "KGZ", None]


def test_the_events_command_reads_like_extract_and_reports_bad_lines(tmp_path):
    good = {"id": "a", "text": "Президент Армении прибыл в Тегеран с официальным визитом.", "published": "2025-03-01"}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken\n" + json.dumps({"id": "b"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "etl", "events", "--input", str(src), "--output", str(out), "--explain"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "in.jsonl:2" in proc.stderr and "in.jsonl:3" in proc.stderr
    events = read_jsonl(out)
    assert [(e["type"], e["countries"], e["host"]) for e in events] == [("visit", ["ARM", "IRN"], "IRN")]
    assert set(events[0]["trace"]) == set(EVENT_FIELDS)
    same = subprocess.run([sys.executable, "-m", "etl", "events", "--input", str(src), "--output", str(src)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert same.returncode == 2


@pytest.mark.parametrize("talks_day, visit_date", [("2 марта", "2025-03-01/2025-03-02"), ("20 марта", "2025-03-01")])
def test_a_visit_runs_through_the_days_of_its_meetings(talks_day, visit_date):
    text = (f"1 марта президент Армении прибыл в Тегеран с официальным визитом. "
            f"{talks_day} президенты Армении и Ирана провели переговоры в Тегеране.")
    events = extract_events(Document(id="span", text=text, published="2025-03-25"))
    visit = next(e for e in events if e.type == "visit")
    assert visit.date == visit_date
    assert (visit.trace["date"] == "date.visit-spans-activities") == ("/" in visit_date)


def test_a_meeting_after_the_arrival_is_its_own_talks_on_the_arrival_day():
    text = ("Президенты Армении и Ирана провели переговоры. 1 марта президент Армении прибыл в Тегеран. "
            "После прибытия лидеры отправились на встречу в узком составе. "
            "2 марта прошли переговоры в расширенном составе.")
    talks = [e for e in extract_events(Document(id="arrival", text=text, published="2025-03-02")) if e.type == "talks"]
    assert sorted(e.date for e in talks) == ["2025-03-01", "2025-03-02"]
    assert any(e.trace["date"] == "date.after-arrival" for e in talks)


def test_the_time_s_preposition_does_not_place_a_side_named_after_it():
    # «в» of «в среду» is not «в Армении»: the meeting is in the capital named after the traveller
    text = "В среду министр экономики Армении Арам Петросян в Тегеране встретился с министром торговли Ирана."
    [e] = [e for e in extract_events(Document(id="host", text=text, published="2025-03-05")) if e.type == "talks"]
    assert e.host == "IRN", e.trace


@pytest.mark.parametrize("text, modality", [
    # the eve of a visit: it is yet to come
    ("Министр рассказал об этом в преддверии визита президента Армении в Иран.", "planned"),
    # a relative clause about other nouns does not make the signing planned
    ("Президенты Армении и Ирана подписали пакет соглашений, которые откроют новые рынки.", "actual"),
    # a relative clause about the visit itself does
    ("Накануне визита президента Армении в Иран, который пройдет 13–15 июня, посол дал интервью.", "planned"),
])
def test_the_modality_of_an_event_word_is_read_in_its_own_clause(text, modality):
    events = extract_events(Document(id="modality", text=text, published="2025-06-01"))
    assert events and events[0].modality == modality, [(e.type, e.modality, e.trace) for e in events]


def test_a_time_next_to_a_verb_of_saying_dates_the_report_not_the_meeting():
    text = "Об этом сказал в понедельник министр Армении на заседании межправительственной комиссии Армении и Ирана."
    events = extract_events(Document(id="said", text=text, published="2025-03-05"))
    assert events and events[0].date is None


@pytest.mark.parametrize("text, when", [
    ("Премьер-министр Армении в 2019 году посетил Иран.", "2019"),
    # a year further from the event word is a figure's: «в 2019 году товарооборот …»
    ("В 2019 году товарооборот Армении и Ирана вырос, а вчера премьер-министр Армении посетил Иран.", "2025-03-04"),
])
def test_a_bare_year_dates_only_the_event_word_next_to_it(text, when):
    [e] = extract_events(Document(id="year", text=text, published="2025-03-05"))
    assert e.date == when, e.trace


def test_an_event_an_infinitive_governs_is_planned():
    text = "Армения и Иран договорились провести в 2026 году заседание межправительственной комиссии в Ереване."
    [e] = extract_events(Document(id="inf", text=text, published="2025-03-05"))
    assert (e.type, e.modality, e.date) == ("talks", "planned", "2026"), e.trace


def test_an_earlier_visit_to_the_other_side_is_not_merged_into_this_one():
    text = ("Итоги визита президента Армении в Иран подвели в Тегеране. "
            "Президент Ирана посетил Армению в 2019 году, напомнил министр.")
    visits = [e for e in extract_events(Document(id="two", text=text, published="2025-03-05")) if e.type == "visit"]
    assert sorted((e.host, e.date) for e in visits) == [("ARM", "2019"), ("IRN", None)]
