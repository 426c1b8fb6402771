"""The DuckDB store: its SQL, how it is written, and how it is read while it is being written.

Readers during writes
---------------------
DuckDB lets one process write a file, and a writer's lock stops read-only openers. So the writer never
opens the file readers use (the *published* file, e.g. data/indicators.duckdb):

1. It takes an exclusive `fcntl` lock on `<db>.lock`, so two writers queue instead of clobbering.
2. It copies the published file to `<db>.work` and writes there, committing whole documents
   (each document is inside exactly one transaction, several to a transaction for speed).
3. To publish, it checkpoints, closes and fsyncs the working copy and `os.replace`s it over the
   published file: atomic on POSIX, so an opener sees the old file or the new one, never a mix.
   A reader that opened the old file keeps its inode and goes on reading that snapshot.
   It publishes at the end of a run and every `publish_every_s` seconds during long runs.
4. A crash leaves `<db>.work` behind with every committed transaction in it (DuckDB's WAL). The
   next writer finds it and publishes it before doing anything else, provided the published file
   is still the one it was copied from (recorded in `<db>.work.base`); otherwise it is discarded.

Readers (`connect_readonly`) attach the published file read-only to a fresh in-memory database:
`duckdb.connect(path)` would hand back an already open instance of the same path, i.e. the stale
inode, for as long as any old connection lives. `db_version` (inode, mtime, size) changes on every
publish, so a reader can key its caches on it.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from etl import csvsafe, interrupts, outputs
from etl.model import Claim, Document
from etl.periods import parse_iso_date, period_bounds
from etl.vocabulary import EVENT_MODALITIES, EVENT_TYPES, LEVELS

if TYPE_CHECKING:
    from etl.events import Event

SCHEMA_SQL = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")
SCHEMA_SHA256 = hashlib.sha256(SCHEMA_SQL.encode("utf-8")).hexdigest()
CATALOG = "store"  # the name readers see the published file under
_READ_RETRIES = 20  # bounded: a lock error can only come from a foreign read-write opener
_READ_RETRY_SLEEP_S = 0.05

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


# ---------------------------------------------------------------- reading


def db_version(path: str | Path) -> tuple[int, int, int]:
    """Changes whenever a write is published: (inode, mtime ns, size). FileNotFoundError if no database."""
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def connect_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published database; works while an ingest runs.

    Its tables and views answer by their plain names, on the connection and on its cursors.
    Raises FileNotFoundError when there is no database yet."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(errno.ENOENT, "no database (build it with `python -m etl ingest`)", str(p))
    literal = str(p.resolve()).replace("'", "''")
    for attempt in range(_READ_RETRIES):
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH '{literal}' AS {CATALOG} (READ_ONLY)")
        except duckdb.IOException as e:
            con.close()
            if not p.is_file():
                raise FileNotFoundError(errno.ENOENT, "no database", str(p)) from e
            if "lock" not in str(e).lower() or attempt == _READ_RETRIES - 1:
                raise
            time.sleep(_READ_RETRY_SLEEP_S)
            continue
        _expose(con)
        return con
    raise AssertionError("unreachable")


def _expose(con: duckdb.DuckDBPyConnection) -> None:
    """Name every table and view of the attached store in the in-memory default database.

    `USE store` would do for this connection only: a cursor is a new connection and would look in
    the empty in-memory database. Views are resolved at query time and cost nothing."""
    names = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main'",
        [CATALOG],
    ).fetchall()
    for (name,) in names:
        quoted = '"' + name.replace('"', '""') + '"'
        con.execute(f"CREATE VIEW memory.main.{quoted} AS SELECT * FROM {CATALOG}.main.{quoted}")


# ---------------------------------------------------------------- rows


def content_sha256(doc: Document) -> str:
    """Hash of what was given for a document: a changed text or changed metadata means a changed document."""
    payload = json.dumps(
        [doc.id, doc.text, doc.published, doc.url, doc.title, doc.outlet_country], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()




@dataclass(frozen=True)
class DocumentRows:
    """One document as the store writes it: its row and its claims' and events' rows, all or nothing."""

    doc_id: str
    source: str
    document: dict[str, Any]
    claims: list[dict[str, Any]]
    replaces: bool = False  # the store holds an older version: its rows must go first
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text_chars(self) -> int:
        return int(self.document["text_chars"])


def document_row(
    doc: Document,
    source: str,
    *,
    sha256: str,
    inferred_published: str | None,
    extractor_version: str,
    ingested_at: datetime | None = None,
) -> dict[str, Any]:
    """`doc` as a row of `documents`; `published` is the given date, else the inferred one (flagged)."""
    given = parse_iso_date(doc.published)
    inferred = None if given else parse_iso_date(inferred_published)
    return {
        "doc_id": doc.id,
        "source": source,
        "url": doc.url,
        "title": doc.title,
        "published": given or inferred,
        "published_inferred": inferred is not None,
        "outlet_country": doc.outlet_country,
        "text": doc.text,
        "text_chars": len(doc.text),
        "content_sha256": sha256,
        "ingested_at": ingested_at,  # filled in by the writer when None
        "extractor_version": extractor_version,
    }


def stored_document(row: dict[str, Any]) -> Document:
    """The Document as it was given, from its stored row (an inferred date was not given)."""
    published = None if row["published_inferred"] or row["published"] is None else row["published"].isoformat()
    return Document(
        id=row["doc_id"],
        text=row["text"],
        published=published,
        url=row["url"],
        title=row["title"],
        outlet_country=row["outlet_country"],
    )


class InvalidClaim(ValueError):
    """The extractor returned something the contract does not allow; the document is not loaded."""


def _stable_id(used: dict[str, int], base: str) -> str:
    """`base` the first time a document uses it, then `base:2`, `base:3`…: two records on one span keep
    distinct ids that stay the same as long as the extractor returns them in the same order."""
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}:{used[base]}"


def claim_rows(doc: Document, claims: Sequence[Claim], extractor_version: str) -> list[dict[str, Any]]:
    """Rows of `claims` for `doc`, with stable ids; InvalidClaim if one breaks the contract."""
    rows: list[dict[str, Any]] = []
    used: dict[str, int] = {}
    for n, c in enumerate(claims):
        try:
            a, b = sorted(c.countries)
            span_start, span_end = (int(x) for x in c.span)
            sentence_start, sentence_end = (int(x) for x in c.sentence_span)
            value = float(c.value)
            value_max = None if c.value_max is None else float(c.value_max)
        except (TypeError, ValueError) as e:
            raise InvalidClaim(f"claim {n} ({c.indicator} {c.text!r}): {e}") from None
        if c.doc_id != doc.id:
            raise InvalidClaim(f"claim {n} names document {c.doc_id!r}")
        base = f"{doc.id}:{span_start}-{span_end}:{c.indicator}"
        row_id = _stable_id(used, base)
        start, end = period_bounds(c.period)
        rows.append(
            {
                # (two claims on one span and indicator: two pairs named by one figure)
                "claim_id": row_id,
                "doc_id": doc.id,
                "indicator": c.indicator,
                "country_a": a,
                "country_b": b,
                "flow_from": c.flow_from,
                "value": value,
                "value_max": value_max,
                "unit": c.unit,
                "kind": c.kind,
                "comparator": c.comparator,
                "modality": c.modality,
                "period": c.period,
                "period_start": start,
                "period_end": end,
                "figure_text": c.text,
                "span_start": span_start,
                "span_end": span_end,
                "sentence": c.sentence,
                "sentence_start": sentence_start,
                "sentence_end": sentence_end,
                "extractor_version": extractor_version,
                "trace": json.dumps(c.trace, ensure_ascii=False, sort_keys=True) if c.trace else None,
            }
        )
    return rows


class InvalidEvent(InvalidClaim):
    """The events extractor returned something the contract does not allow; the document is not loaded."""


def event_rows(doc: Document, events: Sequence["Event"], extractor_version: str) -> list[dict[str, Any]]:
    """Rows of `events` for `doc`, with stable ids; InvalidEvent if one breaks the contract
    (../shared/spec/events.md)."""
    rows: list[dict[str, Any]] = []
    used: dict[str, int] = {}
    for n, e in enumerate(events):
        try:
            a, b = sorted(e.countries)
            span_start, span_end = (int(x) for x in e.span)
            sentence_start, sentence_end = (int(x) for x in e.sentence_span)
            count = None if e.count is None else int(e.count)
        except (TypeError, ValueError) as err:
            raise InvalidEvent(f"event {n} ({e.type} {e.text!r}): {err}") from None
        problem = (
            f"names document {e.doc_id!r}" if e.doc_id != doc.id
            else f"has type {e.type!r}" if e.type not in EVENT_TYPES
            else f"has level {e.level!r}" if e.level not in LEVELS
            else f"has modality {e.modality!r}" if e.modality not in EVENT_MODALITIES
            else f"names one side twice ({a})" if a == b
            else f"has host {e.host!r}, not one of its sides" if e.host is not None and e.host not in (a, b)
            else None
        )
        if problem:
            raise InvalidEvent(f"event {n} ({e.type} {e.text!r}) {problem}")
        base = f"{doc.id}:{span_start}-{span_end}:{e.type}"
        row_id = _stable_id(used, base)
        start, end = period_bounds(e.date)
        rows.append(
            {
                # (two events on one span and type: a visit to two countries)
                "event_id": row_id,
                "doc_id": doc.id,
                "type": e.type,
                "country_a": a,
                "country_b": b,
                "host": e.host,
                "level": e.level,
                "date": e.date,
                "date_start": start,
                "date_end": end,
                "modality": e.modality,
                "count": count,
                "event_text": e.text,
                "span_start": span_start,
                "span_end": span_end,
                "sentence": e.sentence,
                "sentence_start": sentence_start,
                "sentence_end": sentence_end,
                "extractor_version": extractor_version,
                "trace": json.dumps(e.trace, ensure_ascii=False, sort_keys=True) if e.trace else None,
            }
        )
    return rows


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class _Paths:
    db: Path

    @property
    def work(self) -> Path:
        return self.db.with_name(self.db.name + ".work")

    @property
    def base(self) -> Path:  # the published version the working copy was made from
        return self.db.with_name(self.db.name + ".work.base")

    @property
    def copying(self) -> Path:
        return self.db.with_name(self.db.name + ".work.copying")

    @property
    def lock(self) -> Path:
        return self.db.with_name(self.db.name + ".lock")

    @staticmethod
    def wal(p: Path) -> Path:
        return p.with_name(p.name + ".wal")

    def files(self) -> list[tuple[str, Path]]:
        """Every file of the store, named for a message."""
        return [("the store", self.db), ("the store's log", self.wal(self.db)),
                ("the store's working copy", self.work), ("the store's working log", self.wal(self.work)),
                ("the store's working-copy record", self.base), ("the store's copy in progress", self.copying),
                ("the store's lock", self.lock)]


def store_files(db: str | Path) -> list[tuple[str, Path]]:
    """The files that make up the store at `db`: no command's output may be one of them."""
    return _Paths(Path(db)).files()


@dataclass
class WriteResult:
    written: list[DocumentRows]
    failed: list[tuple[DocumentRows, str]]
    claims_removed: int
    events_removed: int = 0


class StoreWriter:
    """The only way to change the store: a locked working copy, published atomically.

    Use as a context manager. On leaving, committed work is published even when an exception is
    propagating (every committed transaction holds whole documents); nothing is published when
    nothing changed, so readers' caches stay valid."""

    def __init__(self, db_path: str | Path, *, publish_every_s: float = 30.0, log: Log = _stderr) -> None:
        self.paths = _Paths(Path(db_path))
        self.publish_every_s = publish_every_s
        self.log = log
        self._lock_fd: int | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._dirty = False
        self._last_publish = time.monotonic()
        self._columns: dict[str, list[tuple[str, str]]] = {}
        self.publishes = 0
        self.unpublished = False  # the run ended with committed documents it could not publish

    # -- life cycle

    def __enter__(self) -> "StoreWriter":
        self.paths.db.parent.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        try:
            self._recover_or_copy()
        except BaseException:
            self._release_lock()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._con is not None and exc is not None:
                try:
                    self._con.rollback()
                except duckdb.Error:
                    pass  # no transaction open, or the connection is gone with the error
            if self._dirty:
                try:
                    with interrupts.deferred():  # a second Ctrl-C waits for the publish
                        self.publish(reopen=False)
                except (OSError, duckdb.Error, StoreFull) as e:
                    if exc is None:
                        raise
                    self.unpublished = True
                    # Already failing (a full disk, most often): the committed documents stay in the
                    # working copy, which the next run publishes; its own error is the one to report.
                    self.log(f"{self.paths.db}: could not publish ({_first_line(e)}); the committed documents "
                             f"stay in {self.paths.work} and the next ingest or reextract publishes them")
            else:
                self._discard_work()
        finally:
            self._close()
            self._release_lock()

    @property
    def lock_fd(self) -> int | None:
        """The lock's descriptor: forked workers close their inherited copy of it."""
        return self._lock_fd

    def _acquire_lock(self) -> None:
        fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.log(f"{self.paths.db}: another ingest is writing; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _recover_or_copy(self) -> None:
        p = self.paths
        p.copying.unlink(missing_ok=True)  # a copy interrupted half-way is worth nothing
        if p.work.exists() and not self._recoverable():
            self.log(f"{p.work}: discarding the working copy of an interrupted run (the database changed since)")
        elif p.work.exists():
            try:
                con = duckdb.connect(str(p.work))  # replays the WAL of the interrupted run
                try:
                    n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                finally:
                    # Left open, DuckDB would hand this instance (of a file about to be deleted) to the
                    # next connect() of the same path: the fresh working copy would be this broken one.
                    con.close()
            except duckdb.Error as e:
                self.log(f"{p.work}: discarding the working copy of an interrupted run: {e}")
            else:
                self.log(f"{p.db}: publishing {n} documents committed by an interrupted run")
                self._dirty = True
                self.publish(reopen=False)
        self._discard_work()
        self._fresh_work_copy()

    def _recoverable(self) -> bool:
        try:
            base = json.loads(self.paths.base.read_text())
        except (OSError, ValueError):
            return False
        current = list(db_version(self.paths.db)) if self.paths.db.exists() else None
        return base == current

    def _fresh_work_copy(self) -> None:
        p = self.paths
        created = not p.db.exists()
        if not created:
            shutil.copyfile(p.db, p.copying)
            if _Paths.wal(p.db).exists():  # someone wrote the published file directly: keep their data
                shutil.copyfile(_Paths.wal(p.db), _Paths.wal(p.work))
            _fsync(p.copying)
        base = list(db_version(p.db)) if not created else None
        p.base.write_text(json.dumps(base))
        if not created:
            os.replace(p.copying, p.work)
        con = self.connection()
        try:
            applied = con.execute("SELECT value FROM store_meta WHERE key = 'schema_sha256'").fetchone()
        except duckdb.CatalogException:  # a new file, or one made before store_meta existed
            applied = None
        # A new database is published only once it holds a document: a run whose every input was
        # bad must not leave an empty store that `build-sample --if-missing` would then respect.
        self._dirty = False
        if applied is None or applied[0] != SCHEMA_SHA256:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(SCHEMA_SQL)
                refresh_groups(con, None)  # the derived tables' definitions may have changed: rebuild them
                con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_sha256', ?)", [SCHEMA_SHA256])
                con.execute("COMMIT")
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
            self._dirty = not created

    def _discard_work(self) -> None:
        self._close()
        p = self.paths
        for f in (p.work, _Paths.wal(p.work), p.base, p.copying):
            f.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The working copy, opened on first use (close it with `suspend` before forking workers)."""
        if self._con is None:
            self._con = duckdb.connect(str(self.paths.work))
        return self._con

    def suspend(self) -> None:
        """Close the working copy's connection, e.g. so worker processes are forked without DuckDB threads."""
        self._close()

    # -- publishing

    def maybe_publish(self) -> bool:
        if self._dirty and time.monotonic() - self._last_publish >= self.publish_every_s:
            self.publish()
            return True
        return False

    def publish(self, *, reopen: bool = True) -> None:
        """Make everything committed so far visible to readers, atomically."""
        p = self.paths
        con = self.connection()
        try:
            con.execute("CHECKPOINT")
        except duckdb.Error as e:
            _stop_if_out_of_space(e)
            raise
        self._close()
        _Paths.wal(p.work).unlink(missing_ok=True)  # closed after a checkpoint: what a failed commit left
        _fsync(p.work)
        # A log left by someone who wrote the published file directly is in our copy already; next
        # to the new file it would be replayed onto data it does not belong to.
        _Paths.wal(p.db).unlink(missing_ok=True)
        os.replace(p.work, p.db)
        _fsync_dir(p.db.parent)
        p.base.unlink(missing_ok=True)
        self._dirty = False
        self._last_publish = time.monotonic()
        self.publishes += 1
        if reopen:
            self._fresh_work_copy()

    # -- queries

    def known_documents(self) -> dict[str, str]:
        """doc_id -> content hash of every stored document."""
        return dict(self.connection().execute("SELECT doc_id, content_sha256 FROM documents").fetchall())

    def stale_document_ids(self, extractor_version: str, *, everything: bool = False) -> list[str]:
        """Documents whose claims were made by another extractor version (all with `everything`)."""
        sql = "SELECT doc_id FROM documents"
        params: list[Any] = []
        if not everything:
            sql += " WHERE extractor_version IS DISTINCT FROM ?"
            params.append(extractor_version)
        return [r[0] for r in self.connection().execute(sql + " ORDER BY doc_id", params).fetchall()]

    def load_documents(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        cur = self.connection().execute(
            "SELECT * FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id",
            [list(doc_ids)],
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def count_older_extractions(self, extractor_version: str) -> int:
        return self.connection().execute(
            "SELECT count(*) FROM documents WHERE extractor_version IS DISTINCT FROM ?", [extractor_version]
        ).fetchone()[0]

    # -- writes

    def write(self, batch: Sequence[DocumentRows]) -> WriteResult:
        """Replace each document of `batch` (row, claims and events) in one transaction.

        If the database rejects the batch, each document is retried in a transaction of its own,
        so one bad document costs only itself."""
        if not batch:
            return WriteResult([], [], 0)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        for d in batch:
            if d.document["ingested_at"] is None:
                d.document["ingested_at"] = now
        try:
            removed, events_removed = self._replace(batch)
            return WriteResult(list(batch), [], removed, events_removed)
        except duckdb.Error as e:
            _stop_if_out_of_space(e)
        written: list[DocumentRows] = []
        failed: list[tuple[DocumentRows, str]] = []
        removed = events_removed = 0
        for d in batch:
            try:
                claims_gone, events_gone = self._replace([d])
                removed += claims_gone
                events_removed += events_gone
                written.append(d)
            except duckdb.Error as e:
                _stop_if_out_of_space(e)
                failed.append((d, f"the database rejected it: {_first_line(e)}"))
        return WriteResult(written, failed, removed, events_removed)

    def _replace(self, batch: Sequence[DocumentRows]) -> tuple[int, int]:
        """Replace the documents of `batch` in one transaction: (claims removed, events removed)."""
        con = self.connection()
        # Deleting scans all claims and events (no index on doc_id keeps inserts cheap): only when needed.
        old = [d.doc_id for d in batch if d.replaces]
        removed = events_removed = 0
        con.execute("BEGIN TRANSACTION")
        try:
            touched: set[str] = set()  # the pairs, indicators and periods whose statement groups change
            if old:
                touched.update(r[0] for r in con.execute(
                    f"SELECT DISTINCT {REFRESH_KEY_SQL} FROM claims WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                    [old]).fetchall())
                removed = con.execute(
                    "DELETE FROM claims WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [old]
                ).fetchone()[0]
                events_removed = con.execute(
                    "DELETE FROM events WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [old]
                ).fetchone()[0]
                con.execute("DELETE FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [old])
            self._insert("documents", [d.document for d in batch])
            self._insert("claims", [row for d in batch for row in d.claims])
            self._insert("events", [row for d in batch for row in d.events])
            touched.update(refresh_key(row) for d in batch for row in d.claims)
            refresh_groups(con, touched)
            # before COMMIT: interrupted after it but before this line, the commit would go unpublished
            self._dirty = True
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the failed statement ended the transaction: its own error is the one to raise
            raise
        return int(removed), int(events_removed)

    def write_official(self, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
        """Store official figures (official_trade's columns but imported_at) in one transaction:
        a figure already stored with the same value and source is left alone, any other replaces the
        stored figure of its reporter, partner, flow and year. Returns (new, replaced, unchanged)."""
        if not rows:
            return 0, 0, 0
        con = self.connection()
        names = ("reporter", "partner", "flow", "year", "value_usd", "source_file", "layout")
        types = ("VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "DOUBLE", "VARCHAR", "VARCHAR")
        selects = ", ".join(f"unnest(${i}::{t}[]) AS {n}" for i, (n, t) in enumerate(zip(names, types), start=1))
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE official_incoming AS SELECT {selects}",
                        [[r[n] for r in rows] for n in names])
            new, changed = con.execute("""
                SELECT count(*) FILTER (WHERE o.reporter IS NULL),
                       count(*) FILTER (WHERE o.reporter IS NOT NULL AND (o.value_usd <> i.value_usd
                                        OR o.source_file <> i.source_file OR o.layout <> i.layout))
                FROM official_incoming i
                LEFT JOIN official_trade o USING (reporter, partner, flow, year)""").fetchone()
            if new or changed:
                con.execute("""
                    INSERT OR REPLACE INTO official_trade
                    SELECT i.*, ? FROM official_incoming i
                    LEFT JOIN official_trade o USING (reporter, partner, flow, year)
                    WHERE o.reporter IS NULL OR o.value_usd <> i.value_usd OR o.source_file <> i.source_file
                       OR o.layout <> i.layout""", [now])
                self._dirty = True
            con.execute("DROP TABLE official_incoming")
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        return int(new), int(changed), len(rows) - int(new) - int(changed)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Columnar insert: one statement for all rows (DuckDB's per-statement cost dwarfs per-row cost)."""
        if not rows:
            return
        columns = [(n, t) for n, t in self._table_columns(table) if n in rows[0]]
        values = [[row[n] for row in rows] for n, _ in columns]
        selects = ", ".join(f"unnest(${i}::{t}[])" for i, (_, t) in enumerate(columns, start=1))
        names = ", ".join(n for n, _ in columns)
        self.connection().execute(f"INSERT INTO {table} ({names}) SELECT {selects}", values)

    def _table_columns(self, table: str) -> list[tuple[str, str]]:
        if table not in self._columns:  # DESCRIBE: information_schema costs ~20 ms a query
            self._columns[table] = [(r[0], r[1]) for r in self.connection().execute(f"DESCRIBE {table}").fetchall()]
        return self._columns[table]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync(path)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic


class StoreFull(Exception):
    """The disk holding the store is full: the run stops at once instead of failing every document."""


def _out_of_space(e: BaseException) -> bool:
    return getattr(e, "errno", None) == errno.ENOSPC or "No space left on device" in str(e)


def _stop_if_out_of_space(e: BaseException) -> None:
    if _out_of_space(e):
        raise StoreFull(f"the disk is full: {_first_line(e)}") from e


def _first_line(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


# ---------------------------------------------------------------- statement groups (issue 12)

# A claim's pair, indicator and period: the unit a batch refreshes statement groups by (every group of
# such a key is rebuilt from every claim of it; claims and statement_groups both have these columns).
REFRESH_KEY_SQL = "country_a || '|' || country_b || '|' || indicator || '|' || coalesce(period, '')"


def refresh_key(row: dict[str, Any]) -> str:
    return f"{row['country_a']}|{row['country_b']}|{row['indicator']}|{row['period'] or ''}"


# Claims sorted by value within their group_key; a claim more than 1 % away from the one before it
# starts a new group (a running sum of those starts numbers the groups): window functions, no loop.
GROUP_ROWS_SQL = """
WITH keyed AS (
    SELECT *, series_key || '|' || modality AS group_key
    FROM (SELECT *, concat_ws('|', country_a, country_b, indicator, coalesce(flow_from, '-'), unit, kind,
                              period_key) AS series_key
          FROM claim_group_keys {where})
), starts AS (
    SELECT *, CASE WHEN prev IS NULL OR abs(value - prev) > 0.01 * greatest(abs(value), abs(prev))
                   THEN 1 ELSE 0 END AS starts_group
    FROM (SELECT *, lag(value) OVER (PARTITION BY group_key ORDER BY value, claim_id) AS prev FROM keyed)
), numbered AS (
    SELECT *, sum(starts_group) OVER (PARTITION BY group_key ORDER BY value, claim_id
                                      ROWS UNBOUNDED PRECEDING) AS part
    FROM starts
)
SELECT
    substr(md5(group_key || '#' || min(claim_id)), 1, 16) AS group_id,
    any_value(series_key) AS series_key, group_key,
    any_value(country_a) AS country_a, any_value(country_b) AS country_b, any_value(indicator) AS indicator,
    any_value(flow_from) AS flow_from, any_value(unit) AS unit, any_value(kind) AS kind,
    any_value(modality) AS modality, any_value(period) AS period, any_value(period_key) AS period_key,
    any_value(period_start) AS period_start, any_value(period_end) AS period_end,
    quantile_disc(value, 0.5) AS value, min(value) AS value_low, max(value) AS value_high,
    count(*) AS n_claims, count(DISTINCT outlet) AS n_outlets, count(DISTINCT doc_id) AS n_documents,
    min(published) AS first_published, max(published) AS last_published,
    list(claim_id ORDER BY claim_id) AS claim_ids,
    list(DISTINCT doc_id ORDER BY doc_id) AS doc_ids,
    list(DISTINCT outlet ORDER BY outlet) AS outlets
FROM numbered
GROUP BY group_key, part
"""
_GROUP_COLUMNS = ("group_id, series_key, group_key, country_a, country_b, indicator, flow_from, unit, kind, modality, "
                  "period, period_key, period_start, period_end, value, value_low, value_high, n_claims, n_outlets, "
                  "n_documents, first_published, last_published, claim_ids, doc_ids, outlets")


def refresh_groups(con: duckdb.DuckDBPyConnection, touched: set[str] | None) -> None:
    """Recompute the statement groups of the `touched` refresh keys (pair, indicator, period: every
    group when None), inside the caller's transaction."""
    if touched is None:
        con.execute("DELETE FROM statement_groups")
        con.execute(f"INSERT INTO statement_groups ({_GROUP_COLUMNS}) " + GROUP_ROWS_SQL.format(where=""))
        return
    if not touched:
        return
    keys = sorted(touched)
    con.execute(f"DELETE FROM statement_groups WHERE {REFRESH_KEY_SQL} IN (SELECT unnest(?::VARCHAR[]))", [keys])
    where = f"WHERE {REFRESH_KEY_SQL} IN (SELECT unnest($1::VARCHAR[]))"
    con.execute(f"INSERT INTO statement_groups ({_GROUP_COLUMNS}) " + GROUP_ROWS_SQL.format(where=where), [keys])


# ---------------------------------------------------------------- export


EXPORT_FORMATS = ("csv", "parquet", "jsonl")
EXPORT_ORDER = "ORDER BY doc_id, span_start, claim_id"
EXPORT_QUERY = f"SELECT * FROM claims_with_source {EXPORT_ORDER}"
# What `export --what` writes: a view (or table) of the store and its order.
EXPORTS: dict[str, tuple[str, str]] = {
    "claims": ("claims_export", EXPORT_ORDER),  # claims_with_source and the gaps to the official figures
    "events": ("events_with_source", "ORDER BY doc_id, span_start, event_id"),
    "groups": ("statement_groups", "ORDER BY group_key, value, group_id"),
    "conflicts": ("statement_conflicts", "ORDER BY series_key, value_a, value_b"),
    "series": ("consolidated_series", "ORDER BY pair, indicator, flow_from NULLS FIRST, unit, kind, period_start, period"),
}
FORMATS = ("csv", "parquet", "jsonl")


def _csv_cell(name: str, type_: str) -> str | None:
    """A column as a CSV cell: text neutralised (etl/csvsafe.py), a list of texts joined by '; ',
    anything else nested as its JSON; None for a column CSV writes as it is (numbers, dates)."""
    col = '"' + name.replace('"', '""') + '"'
    if type_ == "VARCHAR":
        return csvsafe.sql_neutralise(name)
    if type_ == "VARCHAR[]":
        expr = f"array_to_string({col}, '; ')"
    elif type_.startswith(("STRUCT", "MAP")) or type_.endswith("]"):
        expr = f"CAST(to_json({col}) AS VARCHAR)"
    else:
        return None
    starts = ", ".join("chr(%d)" % ord(c) for c in csvsafe.FORMULA_STARTS)
    return f"CASE WHEN left({expr}, 1) IN ({starts}) THEN '{csvsafe.ESCAPE}{csvsafe.ESCAPE}' || {expr} ELSE {expr} END"


def export_table(db_path: str | Path, what: str, fmt: str, output: Path) -> int:
    """Write one of EXPORTS (claims, events, groups, conflicts, series) to `output` as csv, parquet or
    jsonl, atomically; returns the row count. In CSV, text cells that a spreadsheet would run as formulas
    are neutralised (etl/csvsafe.py) and lists are flattened; Parquet and JSON lines keep every value
    exact, and in JSON lines `trace` is a nested object rather than a string of JSON."""
    source, order = EXPORTS[what]
    con = connect_readonly(db_path)
    try:
        n = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        query = f"SELECT * FROM {source} {order}"
        if fmt == "csv":
            cells = [(name, _csv_cell(name, type_)) for name, type_, *_ in con.execute(f"DESCRIBE {source}").fetchall()]
            replace = ", ".join(f'{expr} AS "{name}"' for name, expr in cells if expr is not None)
            if replace:
                query = f"SELECT * REPLACE ({replace}) FROM {source} {order}"
        elif fmt == "jsonl" and any(c == "trace" for c, *_ in con.execute(f"DESCRIBE {source}").fetchall()):
            query = f"SELECT * REPLACE (trace::JSON AS trace) FROM {source} {order}"
        tmp = outputs.temp_beside(output)
        options = {"csv": "FORMAT csv, HEADER true", "parquet": "FORMAT parquet", "jsonl": "FORMAT json"}[fmt]
        literal = str(tmp).replace("'", "''")
        try:
            con.execute(f"COPY ({query}) TO '{literal}' ({options})")
            outputs.publish(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        con.close()
    return int(n)


def export_claims(db_path: str | Path, fmt: str, output: Path) -> int:
    """Claims with their sources to `output`; see export_table."""
    return export_table(db_path, "claims", fmt, output)


def export_events(db_path: str | Path, fmt: str, output: Path) -> int:
    """Events with their sources to `output`; see export_table."""
    return export_table(db_path, "events", fmt, output)


