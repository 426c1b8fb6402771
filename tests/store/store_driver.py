"""Run `python -m etl ...` with the fake extractor installed: store_driver.py ARGS...

Environment: FAKE_EXTRACTOR_VERSION; FAKE_SLEEP_S (seconds per document, to make runs long);
FAKE_BATCH_DOCS (documents per transaction); FAKE_LOOP=N re-runs the command N times, alternating
between two PATHs given as A::B."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]

import store_fakes  # noqa: E402

store_fakes.install()
sleep_s = float(os.environ.get("FAKE_SLEEP_S", "0"))
if sleep_s:
    import etl.extract

    inner = etl.extract.extract_document

    def slow(doc):
        time.sleep(sleep_s)
        return inner(doc)

    etl.extract.extract_document = slow

if os.environ.get("FAKE_BATCH_DOCS"):
    import etl.ingest

    etl.ingest.BATCH_DOCS = int(os.environ["FAKE_BATCH_DOCS"])

from etl.cli import main  # noqa: E402

argv = sys.argv[1:]
loops = int(os.environ.get("FAKE_LOOP", "1"))
status = 0
for i in range(loops):
    args = [a.split("::")[i % 2] if "::" in a else a for a in argv]
    status |= main(args)
sys.exit(status)
