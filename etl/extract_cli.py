"""`python -m etl extract`: documents in, claims out as JSON lines, no database.

A bad document is reported on stderr with its file and line and skipped; every other document
is still processed, and the exit status is 1 when anything was skipped. The output file is written
beside itself and renamed into place at the end, and never may be the input."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

from etl import outputs
from etl.extract import extract_document
from etl.readers import DEFAULT_MAX_BYTES, ReadProblem, iter_documents


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with outputs.atomic_text(path) as f:
            yield f


def run_extract(input_path: str, output_path: str, max_bytes: int = DEFAULT_MAX_BYTES, explain: bool = False,
                extractor: Callable = extract_document, what: str = "claims") -> int:
    """`extract` (claims) and `events` (diplomacy events, `extractor=extract_events`): one reader path,
    one handling of bad input, one way of writing the output."""
    command = "extract" if what == "claims" else what
    if output_path != "-":
        try:
            outputs.refuse_clobbering(output_path, [("the input", input_path)])
        except outputs.OutputClash as e:
            print(f"{command}: {e}", file=sys.stderr)
            return 2
    problems: list[ReadProblem] = []

    def on_problem(p: ReadProblem) -> None:
        problems.append(p)
        print(f"skipped: {p}", file=sys.stderr)

    n_docs = n_claims = n_failed = 0
    try:
        with _output(output_path) as out:
            for sd in iter_documents([input_path], on_problem, max_bytes):
                n_docs += 1
                try:
                    lines = [json.dumps(c.to_dict(explain), ensure_ascii=False) + "\n" for c in extractor(sd.document)]
                except Exception as e:  # one document's bug must not lose the others
                    n_failed += 1
                    print(f"skipped: {sd.source}: extractor failed on document {sd.document.id!r}: "
                          f"{type(e).__name__}: {e}", file=sys.stderr)
                    continue
                out.writelines(lines)
                n_claims += len(lines)
    except OSError as e:  # the output's folder is missing or read-only, or the disk is full
        print(f"{command}: cannot write {output_path}: {e.strerror or e}", file=sys.stderr)
        return 1
    skipped = len(problems) + n_failed
    print(f"{command}: {n_docs} documents read, {n_claims} {what}, {skipped} skipped", file=sys.stderr)
    return 1 if skipped else 0
