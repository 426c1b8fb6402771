"""The extractor's whole output on every committed gold set, locked claim by claim (as PUDL locks its outputs).

A change that moves any claim, or any field of one, fails here with the claim named, even where the
scores stay the same. When a change is meant, rewrite the files and review their diff in the commit:

    ./run test tests/extract/test_golden_output.py --update-golden
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from etl.extract import extract_document
from etl.model import Document

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
SETS = tomllib.loads((FIXTURES / "score_floors.toml").read_text(encoding="utf-8"))["claims"]


def output(docs_file: str) -> list[dict]:
    docs = [json.loads(x) for x in (FIXTURES / docs_file).read_text(encoding="utf-8").splitlines() if x.strip()]
    return [c.to_dict() for d in docs for c in extract_document(Document.from_dict(d))]


def _key(c: dict) -> tuple:
    return c["doc_id"], tuple(c["span"]), c["indicator"]


@pytest.mark.parametrize("name", SETS)
def test_the_output_on_each_gold_set_is_unchanged(name, request):
    path = GOLDEN / f"{name}.jsonl"
    now = output(SETS[name]["docs"])
    if request.config.getoption("--update-golden"):
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in now), encoding="utf-8")
        pytest.skip(f"rewrote {path.relative_to(TESTS.parent)}")
    locked = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    before, after = {_key(c): c for c in locked}, {_key(c): c for c in now}
    gone = [k for k in before if k not in after]
    new = [k for k in after if k not in before]
    changed = [(k, f, before[k][f], after[k][f]) for k in before if k in after for f in before[k]
               if before[k][f] != after[k].get(f)]
    assert not (gone or new or changed), (
        f"{name}: {len(gone)} claims gone {gone[:5]}, {len(new)} new {new[:5]}, {len(changed)} fields changed "
        f"{changed[:5]} (if meant: --update-golden, and review the diff)")
    assert [_key(c) for c in now] == [_key(c) for c in locked], f"{name}: same claims, another order"
