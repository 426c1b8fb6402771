"""The extractor scored against the gold files with the contract's own scorer (tests/fixtures/score.py)."""
from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

from etl.extract import extract_document
from etl.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_spec = importlib.util.spec_from_file_location("score", FIXTURES / "score.py")
score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score)

FLOORS = tomllib.loads((FIXTURES / "score_floors.toml").read_text(encoding="utf-8"))["claims"]


def evaluate(docs_file: str, gold_file: str) -> dict:
    """The extractor's output on a gold set, scored by the contract scorer's own evaluate()."""
    docs = read_jsonl(FIXTURES / docs_file)
    pred = [c.to_dict() for d in docs for c in extract_document(Document.from_dict(d))]
    result, pairs, gold, pred = score.evaluate(read_jsonl(FIXTURES / gold_file), pred, [d["id"] for d in docs])
    return {**result, "pred": pred, "gold": gold, "pairs": pairs}


@pytest.mark.parametrize("name", FLOORS)
def test_scores_meet_their_floors(name):
    floor = FLOORS[name]
    r = evaluate(floor["docs"], floor["gold"])
    matched_pred = {p for _, p in r["pairs"]}
    matched_gold = {g for g, _ in r["pairs"]}
    misses = [(g["doc_id"], g["text"]) for i, g in enumerate(r["gold"]) if i not in matched_gold]
    false = [(p["doc_id"], p["text"]) for i, p in enumerate(r["pred"]) if i not in matched_pred]
    assert r["f1"] >= floor["f1"], f"{name}: F1 {r['f1']:.4f} < {floor['f1']}; missed {misses[:10]}; false {false[:10]}"
    assert r["strict_f1"] >= floor["strict_f1"], f"{name}: strict F1 {r['strict_f1']:.4f} < {floor['strict_f1']}"


def test_every_claim_satisfies_the_contract():
    """Spans slice to their texts, sentences contain their figures, vocabularies are the contract's."""
    from etl.model import COMPARATORS, FLOW_INDICATORS, INDICATORS, KINDS, MODALITIES
    from etl.periods import PERIOD_RE

    for docs_file in ("docs.jsonl", "dev_docs.jsonl", "challenge_docs.jsonl"):
        for d in read_jsonl(FIXTURES / docs_file):
            for c in extract_document(Document.from_dict(d)):
                text = d["text"]
                assert text[c.span[0]:c.span[1]] == c.text
                assert text[c.sentence_span[0]:c.sentence_span[1]] == c.sentence
                assert c.sentence_span[0] <= c.span[0] < c.span[1] <= c.sentence_span[1]
                assert c.indicator in INDICATORS and c.kind in KINDS
                assert c.comparator in COMPARATORS and c.modality in MODALITIES
                assert len(c.countries) == 2 and c.countries == sorted(c.countries) and c.countries[0] != c.countries[1]
                assert (c.flow_from in c.countries) if c.indicator in FLOW_INDICATORS else c.flow_from is None
                assert c.period is None or PERIOD_RE.match(c.period)
                assert c.unit not in ("%", "x") or c.kind == "change"
                assert list(c.to_dict()) == ["doc_id", "indicator", "countries", "flow_from", "value", "value_max",
                                             "unit", "kind", "comparator", "modality", "period", "text", "span",
                                             "sentence", "sentence_span"]


def test_the_seed_pages_chrome_makes_no_claim():
    """Polls, view counters, calendars and sidebars of the scraped sample pages yield nothing."""
    r = evaluate("docs.jsonl", "seeds.jsonl")
    assert len(r["pred"]) == len(r["gold"]) == 9
