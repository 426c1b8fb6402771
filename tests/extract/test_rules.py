"""The named rules (etl/rules.py): each one's example sentence, in our own words, is read by the extractor,
and the rule must be the one that decides its field there, with the value it says it gives."""
from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl.claim_rules import BOOK
from etl.extract import extract_document, rejections
from etl.model import Document
from etl.rules import FIELDS, RULES, explain, ordered

ROOT = Path(__file__).resolve().parents[2]
WITH_EXAMPLES = [r for r in RULES.values() if r.example]


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=[r.name for r in WITH_EXAMPLES])
def test_each_rule_decides_its_example(rule):
    doc = Document(id="example", text=rule.example, published="2025-03-01")
    if rule.no_claim:  # a rule that turns a figure down: its example makes no claim, and it says why
        assert extract_document(doc) == [], f"{rule.name}: its example made a claim"
        last = [r.trace.get(rule.field) for r in rejections(doc)]
        assert rule.name in last, f"{rule.name}: turned down by {last} instead"
        return
    claims = extract_document(Document(id="example", text=rule.example, published="2025-03-01"))
    assert claims, f"{rule.name}: no claim in its example"
    decided = [c for c in claims if c.trace.get(rule.field) == rule.name]
    assert decided, f"{rule.name}: decided by {[c.trace.get(rule.field) for c in claims]} instead"
    assert getattr(decided[0], rule.field) == rule.gives


def test_every_rule_the_code_names_is_registered_and_every_registered_rule_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "etl").glob("*.py")
                     if p.name not in ("rules.py", "events.py", "event_rules.py"))  # the events' registry: test_events.py
    named = set(re.findall(r'"((?:%s)\.(?!csv"|toml")[a-z0-9-]+[а-яё-]*)"' % "|".join(FIELDS), code))
    assert named - set(RULES) == set(), "rules named in code but not in etl/rules.py"
    assert set(RULES) - named == set(), "rules in etl/rules.py that no code decides with"
    assert all(r.says and r.says_ru for r in RULES.values())
    assert len(WITH_EXAMPLES) >= 20


def test_the_engine_has_code_for_every_rule_it_tries_and_each_field_ends_in_a_rule_that_always_applies():
    assert BOOK.missing() == []
    for field in FIELDS:
        rules = ordered(field)
        assert rules, field
        assert "SKIP" not in inspect.getsource(BOOK._when[rules[-1].name]), f"{rules[-1].name} may not apply"
        assert all(r.example for r in rules if r.no_claim), "a rule that turns figures down shows one"


def test_explain_names_a_rule_for_every_field_of_every_sample_claim():
    proc = subprocess.run([sys.executable, "-m", "etl", "extract", "--input", str(ROOT / "data/samples"), "--explain"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    claims = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(claims) > 100
    for c in claims:
        assert list(c)[-1] == "trace" and set(c["trace"]) == set(FIELDS), c
        assert all(words for _, _, words in explain(c["trace"]))


def test_without_explain_the_output_is_the_contracts():
    c = extract_document(Document(id="x", text=WITH_EXAMPLES[0].example, published="2025-03-01"))[0]
    assert "trace" not in c.to_dict() and "trace" in c.to_dict(explain=True)


def test_the_headline_pass_gives_new_claims_and_changes_none():
    """period.headline-repeat: a second pass over the claims, which returns new ones (two passes, no edits)."""
    from etl.extract import _headline_periods

    text = ("Товарооборот Армении и Ирана превысил 700 млн долларов\n\nВ 2024 году товарооборот между Арменией и "
            "Ираном составил 700 млн долларов.")
    first = extract_document(Document(id="h", text=text, published="2025-03-01"))
    assert [(c.period, c.trace["period"]) for c in first] == [("2024", "period.headline-repeat"),
                                                             ("2024", "period.time-in-clause")]
    import dataclasses

    untouched = [(0, dataclasses.replace(first[0], period=None, trace={"period": "period.none"})), (1, first[1])]
    again = _headline_periods(untouched)
    assert again[0].period == "2024" and untouched[0][1].period is None
    assert untouched[0][1].trace == {"period": "period.none"}
