"""`python -m etl ingest | reextract | export | build-sample`: files -> the DuckDB store, and back out.

Each document's claims (etl/extract.py) and diplomacy events (etl/events.py) are extracted together
and written with the document in one transaction: the store never holds one without the other.

Reading and extraction (CPU-bound Python) run in `--workers` processes on chunks of inputs; the
main process is the single writer. Outcomes come back in input order, so runs are repeatable.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

import etl.events as event_extractor
import etl.extract as extractor
from etl import interrupts, outputs, periods
from etl.interrupts import Terminated, exit_status
from etl.lexicon import warm_up_sentence
from etl.model import Document
from etl.readers import DEFAULT_MAX_BYTES, IdRegistry, ReadProblem, ReadUnit, iter_units, read_unit
from etl.store import (
    DocumentRows,
    InvalidClaim,
    StoreWriter,
    claim_rows,
    content_sha256,
    document_row,
    event_rows,
    export_table,
    StoreFull,
    store_files,
    stored_document,
)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"
# A transaction holds whole documents only; it is closed at whichever limit comes first. One
# transaction per document would cost ~8 ms each in DuckDB, ten times the extraction itself.
BATCH_DOCS = 500
BATCH_CHARS = 4_000_000
BATCH_SECONDS = 2.0
# Work sent to a worker at a time, and how many such chunks may wait: bounds memory on any input size.
CHUNK_UNITS = 64
CHUNK_BYTES = 512_000
CHUNKS_IN_FLIGHT_PER_WORKER = 4

PROGRESS_DELAY_S = 2.0  # short runs print no progress bar, only their summary

T = TypeVar("T")


# ---------------------------------------------------------------- outcomes of one document


@dataclass(frozen=True)
class Loaded:
    rows: DocumentRows
    path: str
    line: int | None


@dataclass(frozen=True)
class Unchanged:
    doc_id: str
    path: str
    line: int | None


@dataclass(frozen=True)
class Failed:
    doc_id: str
    path: str
    line: int | None
    message: str


Outcome = Loaded | Unchanged | Failed | ReadProblem


@dataclass(frozen=True)
class StoredItem:
    """A stored document sent back through the extractor by `reextract`."""

    document: Document
    source: str
    sha256: str
    ingested_at: datetime


def infer_published(text: str, url: str | None) -> str | None:
    try:
        return periods.infer_published(text, url)  # looked up per call: tests swap it
    except Exception:  # an inferred date is a nicety; never lose a document over it
        return None


def prepare(
    doc: Document,
    source: str,
    path: str,
    line: int | None,
    *,
    stored_sha: str | None,
    sha: str | None = None,
    force: bool = False,
) -> Outcome:
    """Extract `doc`'s claims and events and build its rows, unless the store holds exactly this document
    (`stored_sha`) and `force` (re-extraction) is off. A failure in either extractor fails the document."""
    sha = sha or content_sha256(doc)
    if stored_sha == sha and not force:
        return Unchanged(doc.id, path, line)
    version = extractor.EXTRACTOR_VERSION  # looked up per call: reextract tests swap it
    try:
        claims = extractor.extract_document(doc)
    except Exception as e:
        return Failed(doc.id, path, line, f"extractor failed on {doc.id!r}: {type(e).__name__}: {e}")
    try:
        events = event_extractor.extract_events(doc)  # looked up per call: tests swap it
    except Exception as e:
        return Failed(doc.id, path, line, f"events extractor failed on {doc.id!r}: {type(e).__name__}: {e}")
    try:
        rows = claim_rows(doc, claims, version)
        ev_rows = event_rows(doc, events, version)
    except InvalidClaim as e:  # InvalidEvent too
        return Failed(doc.id, path, line, f"extractor output for {doc.id!r} rejected: {e}")
    inferred = None if doc.published else infer_published(doc.text, doc.url)
    row = document_row(doc, source, sha256=sha, inferred_published=inferred, extractor_version=version)
    return Loaded(DocumentRows(doc.id, source, row, rows, replaces=stored_sha is not None, events=ev_rows), path, line)


# Set in each worker (and in the main process for --workers 1): doc_id -> content hash in the store.
_KNOWN: dict[str, str] = {}


def _init_worker(known: dict[str, str], inherited_fds: Sequence[int]) -> None:
    global _KNOWN
    _KNOWN = known
    if multiprocessing.parent_process() is not None:
        # Ctrl-C reaches the whole process group: the parent stops the run, workers finish their chunk
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for fd in inherited_fds:  # a forked worker must not keep the writer's lock alive after it dies
        try:
            os.close(fd)
        except OSError:
            pass


def process_item(item: ReadUnit | StoredItem) -> Outcome:
    """One work item -> its outcome; never raises, so one bad input cannot stop a run."""
    try:
        if isinstance(item, StoredItem):
            out = prepare(
                item.document, item.source, item.source, None, stored_sha=item.sha256, sha=item.sha256, force=True
            )
            if isinstance(out, Loaded):
                out.rows.document["ingested_at"] = item.ingested_at
            return out
        read = read_unit(item)
        if isinstance(read, ReadProblem):
            return read
        return prepare(read.document, read.source, item.path, item.line, stored_sha=_KNOWN.get(read.document.id))
    except Exception as e:
        return ReadProblem(
            getattr(item, "path", getattr(item, "source", "?")),
            getattr(item, "line", None),
            f"internal error while reading: {type(e).__name__}: {e}",
        )


def _process_chunk(chunk: list[ReadUnit | StoredItem]) -> list[Outcome]:
    return [process_item(item) for item in chunk]


def _item_size(item: ReadUnit | StoredItem) -> int:
    if isinstance(item, StoredItem):
        return len(item.document.text)
    if item.raw is not None:
        return len(item.raw)
    try:
        return os.path.getsize(item.path)
    except OSError:
        return 0


def chunked(items: Iterable[T], size_of: Callable[[T], int]) -> Iterator[list[T]]:
    chunk: list[T] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += size_of(item)
        if len(chunk) >= CHUNK_UNITS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _warm_up_extractor() -> None:
    """Let the extractors load their lexicons once, before forking, instead of once per worker (~0.6 s each)."""
    try:
        warm = Document(id="warm-up", text=warm_up_sentence())
        extractor.extract_document(warm)
        event_extractor.extract_events(warm)
    except Exception:
        pass  # a broken extractor shows up, with file and line, on the real documents


WORKER_DIED = ("a worker process died while reading this input (killed, or out of memory); "
               "the input was not loaded: run the command again to retry it")


def _lost(chunk: Sequence[ReadUnit | StoredItem]) -> list[Outcome]:
    """The outcomes of a chunk whose worker died: each input fails, naming its file and line."""
    return [Failed(item.document.id, item.source, None, WORKER_DIED) if isinstance(item, StoredItem)
            else ReadProblem(item.path, item.line, WORKER_DIED) for item in chunk]


def run_pipeline(
    items: Iterable[ReadUnit | StoredItem], workers: int, known: dict[str, str], inherited_fds: Sequence[int] = (),
    before_fork: Callable[[], None] = lambda: None,
) -> Iterator[Outcome]:
    """Outcomes of `items` in input order, computed in `workers` processes (in this one if 1).

    The pool is concurrent.futures': unlike multiprocessing.Pool, which silently replaces a killed
    worker and leaves its task's caller waiting forever (holding the writer's lock), it fails every
    task in flight with BrokenProcessPool. Then each unfinished input is run again alone in a new
    pool: the one that kills its worker again is reported as failed, the others load, the run goes on.
    `before_fork` runs before a new pool forks mid-run (the writer closes its DuckDB connection: no
    database threads are copied into a child)."""
    if workers <= 1:
        _init_worker(known, ())
        for item in items:
            yield process_item(item)
        return
    _warm_up_extractor()
    methods = multiprocessing.get_all_start_methods()
    # fork: workers share the loaded lexicons and start in milliseconds. Callers fork with no
    # DuckDB connection open (StoreWriter.suspend), so no database threads are copied.
    ctx = multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else "spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(known, tuple(inherited_fds)))

    pool = new_pool()
    pending: deque[tuple[list, Future]] = deque()
    limit = workers * CHUNKS_IN_FLIGHT_PER_WORKER

    def oldest() -> list[Outcome]:
        chunk, future = pending[0]
        try:
            result = future.result()
        except BrokenProcessPool:
            recover()
            chunk, future = pending[0]
            result = future.result()
        pending.popleft()
        return result

    def recover() -> None:
        nonlocal pool
        pool.shutdown(wait=False, cancel_futures=True)
        before_fork()
        pool = new_pool()
        settled: deque[tuple[list, Future]] = deque()
        for chunk, future in pending:
            if future.exception() is None:
                settled.append((chunk, future))
                continue
            outcomes: list[Outcome] = []
            for item in chunk:
                try:
                    outcomes += pool.submit(_process_chunk, [item]).result()
                except BrokenProcessPool:
                    outcomes += _lost([item])
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = new_pool()
            settled.append((chunk, _settled(outcomes)))
        pending.clear()
        pending.extend(settled)

    try:
        for chunk in chunked(items, _item_size):
            try:
                pending.append((chunk, pool.submit(_process_chunk, chunk)))
            except BrokenProcessPool:  # it broke since the last result was read: recover() retries it
                pending.append((chunk, _settled(BrokenProcessPool("the pool broke before this chunk was sent"))))
            while len(pending) >= limit:
                yield from oldest()
        while pending:
            yield from oldest()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _settled(result: list[Outcome] | BaseException) -> Future:
    f: Future = Future()
    if isinstance(result, BaseException):
        f.set_exception(result)
    else:
        f.set_result(result)
    return f


# ---------------------------------------------------------------- the report


@dataclass
class Report:
    command: str
    db: str
    read: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    claims_added: int = 0
    claims_removed: int = 0
    events_added: int = 0
    events_removed: int = 0
    chars: int = 0
    older_extractions: int = 0
    skipped: list[ReadProblem] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    stopped: str | None = None  # why the run stopped before its end (a full disk, Ctrl-C, SIGTERM)
    unpublished: bool = False  # committed documents were left in the working copy for the next run
    exit_status: int = 0  # when stopped: 1 for an error, 128 + the signal's number for a signal

    def skip(self, problem: ReadProblem) -> None:
        self.skipped.append(problem)

    def stop(self, reason: str, exit_status: int) -> None:
        self.stopped, self.exit_status = reason, exit_status

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        if self.command == "reextract":
            outcomes = f"{self.new} re-extracted"
        else:
            outcomes = f"{self.new} new, {self.replaced} replaced, {self.unchanged} unchanged"
        lines = [
            f"{self.command} -> {self.db}: {self.read} documents read: {outcomes}, {len(self.skipped)} skipped; "
            f"{self.claims_added} claims added, {self.claims_removed} removed; "
            f"{self.events_added} events added, {self.events_removed} removed "
            f"({self.chars:,} characters extracted in {seconds:.1f} s)"
        ]
        if self.older_extractions:
            lines.append(
                f"note: {self.older_extractions} stored documents were extracted by another extractor version; "
                "run `reextract` (`./run etl reextract` in a checkout) to refresh their claims and events"
            )
        if self.skipped:
            lines.append("skipped:")
            lines += [f"  {p}" for p in self.skipped]
        if self.stopped:
            kept = ("stored in the working copy but not yet visible (the next ingest or reextract publishes them)"
                    if self.unpublished else "stored and published")
            lines.append(f"stopped: {self.stopped}; the documents counted above are {kept}, the rest were not "
                         "loaded: run the same command again to finish")
        return "\n".join(lines)


class _Batch:
    def __init__(self) -> None:
        self.items: list[Loaded] = []
        self.chars = 0
        self.opened = time.monotonic()

    def add(self, item: Loaded) -> None:
        if not self.items:
            self.opened = time.monotonic()
        self.items.append(item)
        self.chars += item.rows.text_chars

    def full(self) -> bool:
        return (
            len(self.items) >= BATCH_DOCS
            or self.chars >= BATCH_CHARS
            or time.monotonic() - self.opened >= BATCH_SECONDS
        )


def _flush(writer: StoreWriter, batch: _Batch, report: Report) -> _Batch:
    if not batch.items:
        return batch
    where = {id(item.rows): item for item in batch.items}
    with interrupts.deferred():  # the report always counts exactly what was committed
        result = writer.write([item.rows for item in batch.items])
        for rows in result.written:
            if rows.replaces:
                report.replaced += 1
            else:
                report.new += 1
            report.claims_added += len(rows.claims)
            report.events_added += len(rows.events)
            report.chars += rows.text_chars
        for rows, message in result.failed:
            item = where[id(rows)]
            report.skip(ReadProblem(item.path, item.line, f"document {rows.doc_id!r} not loaded: {message}"))
        report.claims_removed += result.claims_removed
        report.events_removed += result.events_removed
        writer.maybe_publish()
    return _Batch()


def _progress(quiet: bool, desc: str):
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" docs", disable=quiet, delay=PROGRESS_DELAY_S, mininterval=0.5, file=sys.stderr)


def _consume(outcomes: Iterable[Outcome], writer: StoreWriter, report: Report, quiet: bool) -> None:
    ids = IdRegistry()
    batch = _Batch()
    with _progress(quiet, report.command) as bar:
        for out in outcomes:
            bar.update(1)
            if isinstance(out, ReadProblem):
                report.skip(out)
                continue
            report.read += 1
            doc_id = out.rows.doc_id if isinstance(out, Loaded) else out.doc_id
            duplicate = ids.check(doc_id, out.path, out.line)
            if duplicate is not None:
                report.skip(duplicate)
            elif isinstance(out, Unchanged):
                report.unchanged += 1
            elif isinstance(out, Failed):
                report.skip(ReadProblem(out.path, out.line, out.message))
            else:
                batch.add(out)
                if batch.full():
                    batch = _flush(writer, batch, report)
        _flush(writer, batch, report)


# ---------------------------------------------------------------- commands


def ingest_paths(
    paths: Sequence[str | Path],
    db: str | Path,
    *,
    workers: int = 1,
    quiet: bool = False,
    publish_every_s: float = 30.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Load every document under `paths` into the store at `db`; see Report for what happened."""
    return ingest_units(lambda skip: iter_units(paths, skip, max_bytes), db, workers=workers, quiet=quiet,
                        publish_every_s=publish_every_s)


def ingest_units(
    make_units: Callable[[Callable[[ReadProblem], None]], Iterable[ReadUnit]],
    db: str | Path,
    *,
    command: str = "ingest",
    workers: int = 1,
    quiet: bool = False,
    publish_every_s: float = 30.0,
) -> Report:
    """Load the documents of the work units `make_units(report_problem)` yields (read lazily, while the
    pipeline runs: `fetch` fetches pages as the workers ask for them) into the store at `db`."""
    report = Report(command, str(db))
    writer = StoreWriter(db, publish_every_s=publish_every_s)
    with _stops(report), writer:
        known = writer.known_documents()
        writer.suspend()
        units = make_units(report.skip)
        fds = (writer.lock_fd,) if writer.lock_fd is not None else ()
        _consume(run_pipeline(units, workers, known, fds, writer.suspend), writer, report, quiet)
        report.older_extractions = writer.count_older_extractions(extractor.EXTRACTOR_VERSION)
    report.unpublished = writer.unpublished
    return report


@contextmanager
def _stops(report: Report) -> Iterator[None]:
    """A full disk, Ctrl-C or SIGTERM ends the run cleanly: the writer has published what was committed
    (or left it for the next run), and the report says why it stopped."""
    try:
        yield
    except StoreFull as e:
        report.stop(str(e), 1)
    except KeyboardInterrupt as e:
        report.stop("terminated (SIGTERM)" if isinstance(e, Terminated) else "interrupted (Ctrl-C)", exit_status(e))
    except RuntimeError as e:  # Ctrl-C inside a DuckDB query outside a deferred block (reading, not writing)
        if "interrupted" not in str(e).lower():
            raise
        report.stop("interrupted (Ctrl-C)", exit_status(KeyboardInterrupt()))


def reextract_store(
    db: str | Path, *, everything: bool = False, workers: int = 1, quiet: bool = False, publish_every_s: float = 30.0
) -> Report:
    """Re-run the current extractor over stored documents made by another version (all with `everything`)."""
    if not Path(db).exists():
        raise FileNotFoundError(db)
    report = Report("reextract", str(db))
    writer = StoreWriter(db, publish_every_s=publish_every_s)
    with _stops(report), writer:
        stale = writer.stale_document_ids(extractor.EXTRACTOR_VERSION, everything=everything)
        writer.suspend()

        def items() -> Iterator[StoredItem]:
            for start in range(0, len(stale), BATCH_DOCS):
                for row in writer.load_documents(stale[start : start + BATCH_DOCS]):
                    yield StoredItem(stored_document(row), row["source"], row["content_sha256"], row["ingested_at"])

        fds = (writer.lock_fd,) if writer.lock_fd is not None else ()
        _consume(run_pipeline(items(), workers, {}, fds, writer.suspend), writer, report, quiet)
    report.unpublished = writer.unpublished
    # Every re-extracted document replaced its old self; say so in the reextract vocabulary.
    report.new, report.replaced = report.replaced, 0
    return report


def export_command(db: str, fmt: str, output: str, what: str = "claims") -> int:
    if output == "-":
        if fmt == "parquet":
            print("export: Parquet is binary; give a file with --output FILE.parquet", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{what}.{fmt}"
            n = export_table(db, what, fmt, out)
            sys.stdout.flush()
            with out.open("rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
            sys.stdout.flush()
    else:
        try:
            outputs.refuse_clobbering(output, store_files(db))
        except outputs.OutputClash as e:
            print(f"export: {e}", file=sys.stderr)
            return 2
        n = export_table(db, what, fmt, Path(output))
    print(f"export: {n} {what} from {db} -> {output} ({fmt})" if what in ("claims", "events")
          else f"export: {n} {what} rows from {db} -> {output} ({fmt})", file=sys.stderr)
    return 0


def _display_path(path: Path) -> str:
    """`path` relative to the working directory when it is below it: documents.source stays portable."""
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else rel


def _quiet_libraries() -> None:
    # trafilatura and htmldate log every page they find too short; our problems say what matters.
    for name in ("trafilatura", "htmldate", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_command(args: Any) -> int:
    """Entry point from etl/cli.py. Exit status: 0 all loaded, 1 something skipped or failed, 2 misuse,
    130 / 143 stopped by Ctrl-C / SIGTERM (after publishing what was committed)."""
    _quiet_libraries()
    try:
        if args.command == "ingest":
            if args.workers < 1:
                print("ingest: --workers must be at least 1", file=sys.stderr)
                return 2
            report = ingest_paths(
                args.paths, args.db, workers=args.workers, quiet=args.quiet, publish_every_s=args.publish_every,
                max_bytes=args.max_bytes,
            )
        elif args.command == "reextract":
            report = reextract_store(args.db, everything=args.all, workers=args.workers, quiet=args.quiet)
        elif args.command == "export":
            return export_command(args.db, args.format, args.output, getattr(args, "what", "claims"))
        elif args.command == "build-sample":
            if args.if_missing and Path(args.db).exists():
                return 0
            report = ingest_paths([_display_path(SAMPLES_DIR)], args.db, quiet=True)
        else:
            print(f"unknown command {args.command!r}", file=sys.stderr)
            return 2
    except FileNotFoundError as e:
        print(f"{args.command}: no database at {e.filename or args.db}", file=sys.stderr)
        return 1
    except (OSError, duckdb.Error) as e:  # a full disk, an unwritable folder, a file that is not a store
        print(f"{args.command}: {args.db}: {e}", file=sys.stderr)
        return 1
    print(report.summary(), file=sys.stderr)
    return report.exit_status or (1 if report.skipped else 0)
