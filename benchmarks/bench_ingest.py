"""Ingest throughput, end to end: `python -m etl ingest` on a corpus built from data/samples/.

The bundled documents are repeated under distinct ids until the corpus holds --chars characters,
then ingested into a fresh database in a temporary folder, once per --workers value (a one-worker
run pinned to one CPU, so that "one core" holds for DuckDB's threads too). The time is
the wall clock of the whole command (interpreter start, reading, extraction, DuckDB, publishing);
the CPU seconds of all its processes are printed beside it, since other jobs on a shared machine
lower the wall-clock figure but not the CPU one.
For comparison it also times the extractor alone on one core over the same documents, the ingest
with the extractor replaced by a no-op (what reading and the store cost on their own), and a first
run on a machine whose lexicon cache is empty (it builds the lexicon, ~0.6 s, and caches it).
The runs use a lexicon cache folder of their own, in the temporary folder.

    python benchmarks/bench_ingest.py [--chars 5000000] [--workers 1 2]

Bars (issue "DuckDB store"): >= 500,000 chars/s with --workers 1, >= 900,000 with --workers 2.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scale import scaled, warm_up  # noqa: E402  (benchmarks/ is on the path: the scripts run as files)

BARS = {1: 500_000, 2: 900_000}
BARS_FROM_CHARS = 1_000_000
CACHE_ENV = "BILATERAL_ETL_CACHE_DIR"  # etl.lexicon.CACHE_ENV, named here before etl is imported


def build_corpus(out: Path, target_chars: int) -> tuple[int, int]:
    """Write the samples repeated under distinct ids to `out`; returns (documents, characters)."""
    base = []
    for name in ("seeds.jsonl", "dev_docs.jsonl"):
        with (ROOT / "data" / "samples" / name).open(encoding="utf-8") as f:
            base += [json.loads(line) for line in f if line.strip()]
    docs = chars = 0
    with out.open("w", encoding="utf-8") as f:
        copy = 0
        while chars < target_chars:
            for d in base:
                f.write(json.dumps({**d, "id": f"{d['id']}#{copy}"}, ensure_ascii=False) + "\n")
                docs += 1
                chars += len(d["text"])
            copy += 1
    return docs, chars


# The same command with the extractor replaced by a no-op: what reading and the store cost alone.
NO_OP = (
    "import sys, etl.extract as e; e.extract_document = lambda doc: []; "
    "from etl.cli import main; sys.exit(main(sys.argv[1:]))"
)


def time_ingest(
    corpus: Path, db: Path, workers: int, *, no_op: bool = False, lexicon_cache: bool = True
) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all processes of the run) of one ingest."""
    entry = ["-c", NO_OP] if no_op else ["-m", "etl"]
    cmd = [sys.executable, *entry, "ingest", str(corpus), "--db", str(db), "--workers", str(workers), "--quiet"]
    env = dict(os.environ)
    if not lexicon_cache:
        env[CACHE_ENV] = "off"
    # "On one core" taken literally: a one-worker run is pinned to one CPU, DuckDB's threads included.
    pin = _pin_to_one_cpu if workers == 1 and hasattr(os, "sched_setaffinity") else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, preexec_fn=pin)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}):\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _pin_to_one_cpu() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def time_extractor(corpus: Path) -> tuple[float, int]:
    from etl.extract import extract_document
    from etl.model import Document

    warm_up()  # once per process, outside the timing, as bench_extract does

    with corpus.open(encoding="utf-8") as f:
        docs = [Document.from_dict(json.loads(line)) for line in f]
    t0 = time.process_time()  # CPU time: the figure of one core, whatever else the machine runs
    claims = sum(len(extract_document(d)) for d in docs)
    return time.process_time() - t0, claims


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=int(scaled(5_000_000, minimum=50_000)),
                    help="size of the corpus in characters")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        os.environ[CACHE_ENV] = str(Path(tmp) / "lexicon-cache")  # filled by the first load below
        from etl.extract import EXTRACTOR_VERSION

        corpus = Path(tmp) / "corpus.jsonl"
        n_docs, n_chars = build_corpus(corpus, args.chars)
        print(f"bench_ingest: {n_docs:,} documents, {n_chars:,} characters "
              f"(extractor {EXTRACTOR_VERSION}, {os.cpu_count()} CPUs)")
        seconds, claims = time_extractor(corpus)
        print(f"  extractor alone, 1 core : {n_chars / seconds:>12,.0f} chars per CPU-second ({claims:,} claims)")
        wall, cpu = time_ingest(corpus, Path(tmp) / "noop.duckdb", 1, no_op=True)
        print(f"  ingest, no-op extractor : {n_chars / wall:>12,.0f} chars/s  (wall {wall:.2f} s, CPU {cpu:.2f} s:"
              " reading + store)")
        failed = False
        # on a small corpus the interpreter's start is most of the time: the bars say nothing there
        judged = n_chars >= BARS_FROM_CHARS
        if not judged:
            print(f"  (a corpus under {BARS_FROM_CHARS:,} characters: the bars are not judged)")
        for workers in args.workers:
            wall, cpu = time_ingest(corpus, Path(tmp) / f"w{workers}.duckdb", workers)
            rate = n_chars / wall
            bar = BARS.get(workers) if judged else None
            verdict = "" if bar is None else (f"  >= {bar:,} ok" if rate >= bar else f"  < {bar:,} BELOW BAR")
            failed |= bar is not None and rate < bar
            print(f"  ingest --workers {workers}     : {rate:>12,.0f} chars/s  (wall {wall:.2f} s, CPU {cpu:.2f} s){verdict}")
        wall, cpu = time_ingest(corpus, Path(tmp) / "cold.duckdb", 1, lexicon_cache=False)
        print(f"  --workers 1, no lexicon cache (a machine's first run): {n_chars / wall:,.0f} chars/s "
              f"(wall {wall:.2f} s, CPU {cpu:.2f} s)")
        print(f"  load average while measuring: {os.getloadavg()[0]:.2f} (a busy machine lowers the wall-clock figures)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
