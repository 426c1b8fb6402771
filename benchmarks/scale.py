"""`BILATERAL_BENCH_SCALE`: a factor on every benchmark's default size (1 unless set).

The README's test runs each `./run bench …` line exactly as written, at a scale of 0.01, to show that
it works on a fresh checkout; the figures the README quotes are from runs at the full size."""
from __future__ import annotations

import os

ENV = "BILATERAL_BENCH_SCALE"


def scaled(default: float, minimum: float = 1) -> float:
    try:
        factor = float(os.environ.get(ENV, "1"))
    except ValueError:
        raise SystemExit(f"{ENV} must be a number, not {os.environ[ENV]!r}") from None
    return max(minimum, default * factor) if factor > 0 else default


def warm_up() -> None:
    """Read the rules' example sentences once, untimed: the tables each lexicon derives (regexes, indexes
    of names and cue words) are built by the first document a process reads, as in ingest, and are not
    part of the per-document cost."""
    from etl.extract import extract_document
    from etl.model import Document
    from etl.rules import RULES

    text = "\n\n".join(r.example for r in RULES.values() if r.example)
    extract_document(Document(id="warm-up", text=text, published="2025-03-01"))
