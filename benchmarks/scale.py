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
