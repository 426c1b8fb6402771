"""Helpers shared by the store tests (conftest.py puts this folder on sys.path)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import store_fakes

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def article(doc_id: str, figures: list[int], extra: str = "") -> str:
    """A Russian text with one line per figure; the fake extractor finds exactly len(figures) claims."""
    lines = [f"Документ {doc_id}. {extra}".strip()]
    lines += [f"Товарооборот между Кыргызстаном и Россией составил {n} млрд долларов." for n in figures]
    return "\n".join(lines) + "\n"


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def run_etl(*args: str, fake_extractor: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` in a real process (with the fake extractor unless told otherwise)."""
    if fake_extractor:
        cmd = [sys.executable, str(HERE / "store_driver.py"), *args]
    else:
        cmd = [sys.executable, "-m", "etl", *args]
    return subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120
    )


def spawn_etl(*args: str, env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, str(HERE / "store_driver.py"), *args]
    return subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def claims_per_doc(con) -> dict[str, tuple[int, int]]:
    """doc_id -> (claims stored, claims its text must have) for every stored document."""
    rows = con.execute(
        "SELECT d.doc_id, d.text, count(c.claim_id) FROM documents d LEFT JOIN claims c USING (doc_id) GROUP BY ALL"
    ).fetchall()
    return {doc_id: (n, store_fakes.expected_claims(text)) for doc_id, text, n in rows}
