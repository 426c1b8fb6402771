"""Snapshots of what `python -m etl fetch` fetched, and what it remembers between runs.

Layout of the snapshot folder (`data/snapshots/` in a checkout, `--snapshots DIR` to move it):

    data/snapshots/2025-03-14/manifest.jsonl      one line per fetch of that day (UTC), successful or not
    data/snapshots/2025-03-14/<sha256>.html       the body exactly as it came (after transfer decoding)
    data/snapshots/state.sqlite                   what the next run needs: URLs seen, validators, queue

A manifest line: `url` (asked for), `final_url` (after redirects), `fetched_at` (UTC), `status` (HTTP
status, null when no answer came), `content_type`, `sha256` and `file` (the body's file, relative to the
snapshot folder; null without a body), `source` (the SOURCE argument or sources-file outlet that led
to it), `kind` (robots, feed, sitemap, home, page), and `error` / `note` when there is one. A body is
stored once per day under its hash, however many URLs gave it.

The state (SQLite, one writer: the fetch run) holds every canonical URL seen with its ETag,
Last-Modified, the hash of its last body and the document id it was ingested as; every other URL that
led to it (tracking parameters, AMP copies, redirects); and the queue of discovered URLs not fetched
yet, so an interrupted run resumes where it stopped. A page is marked ingested only after the store
committed it, so a run stopped between fetching and ingesting ingests it next time from its snapshot."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

MANIFEST = "manifest.jsonl"
STATE = "state.sqlite"
MAX_TRIES = 3  # runs in which a failing URL is tried before it is dropped from the queue
_EXT = {"text/html": ".html", "application/xhtml+xml": ".html", "application/rss+xml": ".xml",
        "application/atom+xml": ".xml", "application/xml": ".xml", "text/xml": ".xml", "text/plain": ".txt"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


class SnapshotStore:
    """Bodies and manifest lines under `root/<date>/`; thread-safe."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self.lines = 0

    def save(self, *, url: str, final_url: str, fetched_at: str, status: int | None, content_type: str,
             body: bytes, source: str, kind: str, error: str | None = None, note: str | None = None,
             extra: dict | None = None) -> dict:
        """Store `body` (if any) and append the fetch to the day's manifest; returns the manifest entry."""
        day = (fetched_at or _today())[:10]
        folder = self.root / day
        digest = sha256(body) if body else None
        rel = None
        with self._lock:
            folder.mkdir(parents=True, exist_ok=True)
            if digest is not None:
                media = content_type.split(";")[0].strip().lower()
                name = digest + _EXT.get(media, ".bin" if media else ".html")
                path = folder / name
                rel = f"{day}/{name}"
                if not path.exists():
                    tmp = folder / f".{name}.tmp"
                    # written whole, then renamed: a reader never sees half a body. Not fsynced (7 ms a
                    # page here): after a power cut a body may be missing, and re-ingesting it says so.
                    with open(tmp, "wb") as f:
                        f.write(body)
                    os.replace(tmp, path)
            entry = {"url": url, "final_url": final_url, "fetched_at": fetched_at, "status": status,
                     "content_type": content_type or None, "sha256": digest, "file": rel,
                     "bytes": len(body), "source": source, "kind": kind}
            if error:
                entry["error"] = error
            if note:
                entry["note"] = note
            if extra:
                entry.update(extra)
            with open(folder / MANIFEST, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.lines += 1
        return entry

    def path_of(self, rel: str) -> Path:
        return self.root / rel


def iter_manifest(root: str | Path) -> Iterator[dict]:
    """Every manifest line under `root` (a snapshot folder or one day's folder), oldest day first."""
    root = Path(root)
    files = [root / MANIFEST] if (root / MANIFEST).is_file() else sorted(root.glob(f"*/{MANIFEST}"))
    for manifest in files:
        base = manifest.parent.parent
        with open(manifest, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a crash: the fetch it describes is simply redone
                entry["_path"] = str(base / entry["file"]) if entry.get("file") else None
                yield entry


@dataclass
class Seen:
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    doc_id: str | None
    ingested: bool
    status: int | None


class State:
    """The fetcher's memory between runs (SQLite in the snapshot folder)."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a crash of the process
        self._lock = threading.Lock()
        self.con.executescript("""
            CREATE TABLE IF NOT EXISTS pages (
                url TEXT PRIMARY KEY,          -- canonical
                etag TEXT, last_modified TEXT, sha256 TEXT, snapshot TEXT,
                doc_id TEXT, status INTEGER, fetched_at TEXT, source TEXT, outlet_country TEXT,
                published TEXT, title TEXT, ingested INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS aliases (url TEXT PRIMARY KEY, canonical TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS pages_sha ON pages (sha256);
            CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
                sha256 TEXT);
            CREATE TABLE IF NOT EXISTS queue (
                url TEXT PRIMARY KEY, source TEXT, outlet_country TEXT, published TEXT, title TEXT,
                discovered_at TEXT, seq INTEGER, tries INTEGER NOT NULL DEFAULT 0);
        """)

    def close(self) -> None:
        self.con.close()

    def _one(self, sql: str, args: tuple) -> tuple | None:
        with self._lock:
            return self.con.execute(sql, args).fetchone()

    def _exec(self, sql: str, args: tuple = ()) -> None:
        with self._lock:
            self.con.execute(sql, args)

    # -------------------------------------------------------- pages (articles)

    def canonical_of(self, url: str) -> str | None:
        """The canonical URL already seen for `url` (itself, or what an alias of it led to), else None."""
        row = self._one("SELECT url FROM pages WHERE url = ?", (url,))
        if row:
            return row[0]
        row = self._one("SELECT canonical FROM aliases WHERE url = ?", (url,))
        return row[0] if row else None

    def page(self, url: str) -> Seen | None:
        row = self._one("SELECT url, etag, last_modified, sha256, doc_id, ingested, status FROM pages WHERE url = ?",
                        (url,))
        return Seen(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6]) if row else None

    def url_with_sha(self, digest: str) -> str | None:
        row = self._one("SELECT url FROM pages WHERE sha256 = ? LIMIT 1", (digest,))
        return row[0] if row else None

    def remember_page(self, url: str, *, etag: str | None, last_modified: str | None, sha256: str | None,
                      snapshot: str | None, doc_id: str | None, status: int | None, fetched_at: str,
                      source: str, outlet_country: str | None, published: str | None, title: str | None,
                      aliases: tuple[str, ...] = ()) -> None:
        with self._lock:
            self.con.execute("BEGIN")
            self.con.execute(
                "INSERT INTO pages (url, etag, last_modified, sha256, snapshot, doc_id, status, fetched_at, source,"
                " outlet_country, published, title, ingested) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)"
                " ON CONFLICT (url) DO UPDATE SET etag=excluded.etag, last_modified=excluded.last_modified,"
                " sha256=excluded.sha256, snapshot=excluded.snapshot, doc_id=excluded.doc_id,"
                " status=excluded.status, fetched_at=excluded.fetched_at, ingested=0",
                (url, etag, last_modified, sha256, snapshot, doc_id, status, fetched_at, source, outlet_country,
                 published, title))
            for alias in aliases:
                if alias != url:
                    self.con.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (alias, url))
            self.con.execute("DELETE FROM queue WHERE url = ?", (url,))
            for alias in aliases:
                self.con.execute("DELETE FROM queue WHERE url = ?", (alias,))
            self.con.execute("COMMIT")

    def add_alias(self, alias: str, canonical: str) -> None:
        self._exec("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (alias, canonical))
        self._exec("DELETE FROM queue WHERE url = ?", (alias,))

    def mark_ingested(self, snapshots: list[str]) -> None:
        with self._lock:
            self.con.execute("BEGIN")
            self.con.executemany("UPDATE pages SET ingested = 1 WHERE snapshot = ?", [(s,) for s in snapshots])
            self.con.execute("COMMIT")

    def not_ingested(self) -> list[dict]:
        """Pages fetched by an earlier run that the store has not committed (that run was stopped)."""
        with self._lock:
            cur = self.con.execute(
                "SELECT url, snapshot, doc_id, source, outlet_country, published, title FROM pages"
                " WHERE ingested = 0 AND snapshot IS NOT NULL AND doc_id IS NOT NULL ORDER BY fetched_at")
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    # -------------------------------------------------------- feeds, sitemaps, home pages

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        row = self._one("SELECT etag, last_modified, sha256 FROM validators WHERE url = ?", (url,))
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def remember_validators(self, url: str, etag: str | None, last_modified: str | None, digest: str | None) -> None:
        self._exec("INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)", (url, etag, last_modified, digest))

    # -------------------------------------------------------- the queue (resuming)

    def enqueue(self, url: str, source: str, outlet_country: str | None, published: str | None,
                title: str | None) -> bool:
        """Add a discovered URL; False when it is queued already."""
        with self._lock:
            seq = self.con.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM queue").fetchone()[0]
            cur = self.con.execute(
                "INSERT OR IGNORE INTO queue VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                (url, source, outlet_country, published, title, datetime.now(timezone.utc).isoformat(), seq))
            return cur.rowcount == 1

    def queued(self) -> list[dict]:
        with self._lock:
            cur = self.con.execute(
                "SELECT url, source, outlet_country, published, title FROM queue ORDER BY seq")
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    def dequeue(self, url: str) -> None:
        self._exec("DELETE FROM queue WHERE url = ?", (url,))

    def failed(self, url: str) -> None:
        """A fetch of a queued URL failed (timeout, 5xx, truncated, ...): the next run tries it again, up to
        MAX_TRIES runs in all, then it is dropped."""
        with self._lock:
            self.con.execute("UPDATE queue SET tries = tries + 1 WHERE url = ?", (url,))
            self.con.execute("DELETE FROM queue WHERE url = ? AND tries >= ?", (url, MAX_TRIES))
