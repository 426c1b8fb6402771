"""`python -m etl extract`: documents in, claims out as JSON lines, no database.

A bad document is reported on stderr with its file and line and skipped; every other document
is still processed, and the exit status is 1 when anything was skipped."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from etl.extract import extract_document
from etl.readers import ReadProblem, iter_documents


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            yield f


def run_extract(input_path: str, output_path: str) -> int:
    problems: list[ReadProblem] = []

    def on_problem(p: ReadProblem) -> None:
        problems.append(p)
        print(f"skipped: {p}", file=sys.stderr)

    n_docs = n_claims = n_failed = 0
    with _output(output_path) as out:
        for sd in iter_documents([input_path], on_problem):
            n_docs += 1
            try:
                claims = extract_document(sd.document)
            except Exception as e:  # one document's bug must not lose the others
                n_failed += 1
                print(f"skipped: {sd.source}: extractor failed on document {sd.document.id!r}: "
                      f"{type(e).__name__}: {e}", file=sys.stderr)
                continue
            for c in claims:
                out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
            n_claims += len(claims)
    skipped = len(problems) + n_failed
    print(f"extract: {n_docs} documents read, {n_claims} claims, {skipped} skipped", file=sys.stderr)
    return 1 if skipped else 0
