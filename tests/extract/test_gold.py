"""The extractor scored against the gold files with the contract's own scorer (tests/fixtures/score.py)."""
from __future__ import annotations

import importlib.util

import pytest

import json
from pathlib import Path

from etl.extract import extract_document
from etl.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_spec = importlib.util.spec_from_file_location("score", FIXTURES / "score.py")
score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score)

# (documents, gold claims, F1 bar, strict F1 bar). The seeds are the product's own sample pages and
# must be exact; dev and the held-out challenge set (unseen country pairs) carry the bars.
SETS = {
    "seeds": ("docs.jsonl", "seeds.jsonl", 1.0, 1.0),
    "dev": ("dev_docs.jsonl", "dev_claims.jsonl", 0.90, 0.80),
    "challenge": ("challenge_docs.jsonl", "challenge_claims.jsonl", 0.85, 0.75),
    # a second set by a separate annotator (challenge2_NOTES.md): 22 more unseen pairs, quotations whose
    # speaker decides the pair, figures without digits, subsets. First run: F1 0.93 / strict 0.77.
    "challenge2": ("challenge2_docs.jsonl", "challenge2_claims.jsonl", 0.90, 0.85),
    # a third (challenge3_NOTES.md): 25 more pairs, sites' domains instead of outlet_country, lists of
    # partners, ranges, datelines. First run, after the fixes set 2 prompted: F1 0.95 / strict 0.83.
    "challenge3": ("challenge3_docs.jsonl", "challenge3_claims.jsonl", 0.90, 0.85),
    # a fourth (challenge4_NOTES.md): 20 more pairs, long analytical pieces, interviews. First run, after
    # sets 2 and 3: F1 0.91 / strict 0.87.
    "challenge4": ("challenge4_docs.jsonl", "challenge4_claims.jsonl", 0.90, 0.85),
}


def evaluate(docs_file: str, gold_file: str) -> dict:
    docs = read_jsonl(FIXTURES / docs_file)
    gold = read_jsonl(FIXTURES / gold_file)
    pred = [c.to_dict() for d in docs for c in extract_document(Document.from_dict(d))]
    pairs = score.match(gold, pred)
    tp = len(pairs)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    strict_fields = ("comparator", "modality", "flow_from", "period_year")

    def field(c, f):
        return score.period_year(c.get("period")) if f == "period_year" else c.get(f)

    full = sum(all(field(gold[g], f) is None or field(gold[g], f) == field(pred[p], f) for f in strict_fields)
               for g, p in pairs)
    return {"f1": f1, "strict_f1": 2 * full / (len(pred) + len(gold)), "pred": pred, "gold": gold, "pairs": pairs}


@pytest.mark.parametrize("name", SETS)
def test_scores_meet_their_bars(name):
    docs_file, gold_file, f1_bar, strict_bar = SETS[name]
    r = evaluate(docs_file, gold_file)
    matched_pred = {p for _, p in r["pairs"]}
    matched_gold = {g for g, _ in r["pairs"]}
    misses = [(g["doc_id"], g["text"]) for i, g in enumerate(r["gold"]) if i not in matched_gold]
    false = [(p["doc_id"], p["text"]) for i, p in enumerate(r["pred"]) if i not in matched_pred]
    assert r["f1"] >= f1_bar, f"{name}: F1 {r['f1']:.3f} < {f1_bar}; missed {misses[:10]}; false {false[:10]}"
    assert r["strict_f1"] >= strict_bar, f"{name}: strict F1 {r['strict_f1']:.3f} < {strict_bar}"


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
