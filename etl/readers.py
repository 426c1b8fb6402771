"""Files -> Documents: the one place that turns inputs (.txt, saved .html pages, .jsonl) into `Document`s.

Both `python -m etl extract` and the store's `ingest` read through here, so both see the same ids, the
same decoded text and the same problems. Reading is split in two steps so the store can run the costly
second one in worker processes:

* `iter_units` walks the inputs in a stable order (folders recursively, sorted) and yields small work
  units: one per .txt/.html file, one per .jsonl line. It streams: a folder or a JSONL file is never
  held in memory as a whole.
* `read_unit` turns one unit into a `SourcedDocument` or a `ReadProblem`.

`iter_documents` chains the two and drops repeated ids (the first one read wins).
"""
from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from etl.model import Document
from etl.text import heading_of

EXTENSIONS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
STDIN = "-"
STDIN_NAME = "<stdin>"
# Where a JSONL file shows NUL bytes this early it is not JSON lines: one problem for the file,
# not one per "line" of binary noise.
_SNIFF_BYTES = 8192
# C0 controls other than tab, newline, vertical tab, form feed and carriage return never occur in
# prose; a text with more than a few is binary data that happened to decode.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_SAMPLE = 65536
_CONTROL_MAX_RATIO = 0.01
_LEGACY_ENCODINGS = ["cp1251", "koi8_r"]
_OPTIONAL_FIELDS = ("published", "url", "title", "outlet_country")
# The largest document read (a file, or one JSONL line): a bigger one is reported and skipped, so a
# link to /dev/zero or a 2 GB dump cannot take the memory that the documents after it need.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_READ_BLOCK = 1 << 20
# JSON's \ud800 escapes decode to lone surrogates, which no UTF-8 output (a claims file, DuckDB) can hold
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ReadProblem:
    """Why an input (a file, or one line of a JSONL file) was skipped."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SourcedDocument:
    document: Document
    source: str  # "pages/a.html", or "data/x.jsonl:12" for a JSONL line


@dataclass(frozen=True)
class ReadUnit:
    """One document's worth of input: a whole .txt/.html file, or one raw line of a .jsonl file."""

    path: str
    kind: str  # "txt" | "html" | "jsonl"
    line: int | None = None
    raw: bytes | None = None  # the JSONL line, undecoded: decoding is part of the work
    max_bytes: int = DEFAULT_MAX_BYTES
    # What the caller knows better than the file (a fetched page: its id, URL, outlet country, source),
    # as (field, value) pairs: `id`, `url`, `outlet_country` and `source` replace what the file gives;
    # `published` and `title` fill in only what the file lacks.
    meta: tuple[tuple[str, str | None], ...] = ()

    @property
    def source(self) -> str:
        given = dict(self.meta).get("source")
        if given:
            return given
        name = name_of(self.path)
        return name if self.line is None else f"{name}:{self.line}"


class UnreadableInput(Exception):
    """A file or line that yields no document; the message says why, for a ReadProblem."""


# ---------------------------------------------------------------- walking


def iter_units(paths: Iterable[str | Path], on_problem: Callable[[ReadProblem], None],
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadUnit]:
    """Work units for every input under `paths`, in order; unreadable paths go to `on_problem`."""
    for raw_path in paths:
        path = str(raw_path)
        if path == STDIN:
            yield from _jsonl_units(sys.stdin.buffer, STDIN_NAME, on_problem, max_bytes)
            continue
        p = Path(path)
        if p.is_dir():
            for file in _walk(p, on_problem):
                yield from _file_units(file, on_problem, max_bytes)
        elif p.exists():
            yield from _file_units(p, on_problem, max_bytes)
        else:
            on_problem(ReadProblem(path, None, "no such file or folder"))


def _walk(folder: Path, on_problem: Callable[[ReadProblem], None]) -> Iterator[Path]:
    """Files under `folder`, depth first in sorted order.

    Hidden entries (.git, .DS_Store) are not inputs, and linked folders are not followed (no loops)."""
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as e:
        on_problem(ReadProblem(str(folder), None, f"cannot list folder: {e.strerror or e}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not entry.is_symlink():
                yield from _walk(entry, on_problem)
        else:
            yield entry


def _file_units(path: Path, on_problem: Callable[[ReadProblem], None], max_bytes: int) -> Iterator[ReadUnit]:
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        on_problem(ReadProblem(str(path), None, "skipped: not .txt/.html/.htm/.jsonl"))
        return
    if kind != "jsonl":
        yield ReadUnit(str(path), kind, max_bytes=max_bytes)
        return
    try:
        f = open_regular(str(path))
    except UnreadableInput as e:
        on_problem(ReadProblem(str(path), None, str(e)))
        return
    try:
        with f:
            yield from _jsonl_units(f, str(path), on_problem, max_bytes)
    except OSError as e:
        on_problem(ReadProblem(str(path), None, f"cannot read: {e.strerror or e}"))


def open_regular(path: str) -> BinaryIO:
    """The file at `path` opened for reading if it is a regular file (after links), else UnreadableInput.

    Opened without blocking and checked on the open descriptor: a FIFO named x.txt would otherwise
    wait for a writer forever, and a link to /dev/zero would be read until memory ran out."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise UnreadableInput(f"cannot read: {e.strerror or e}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                    else "a socket" if stat.S_ISSOCK(mode) else "not a file")
            raise UnreadableInput(f"{what}, not a regular file: skipped")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _too_big(size: int, max_bytes: int) -> str:
    return (f"larger than the limit of {max_bytes:,} bytes ({size:,}+ bytes): skipped "
            "(raise it with --max-mb)")


def _jsonl_units(f: BinaryIO, name: str, on_problem: Callable[[ReadProblem], None],
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadUnit]:
    head = f.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(f, "peek") else b""
    if b"\x00" in head:
        on_problem(ReadProblem(name, None, "binary data (NUL bytes), not JSON lines"))
        return
    seen_any = False
    for number, raw in enumerate(_bounded_lines(f, max_bytes), start=1):
        if raw is None:  # the line was longer than the limit: its bytes were passed over, not kept
            seen_any = True
            on_problem(ReadProblem(name, number, _too_big(max_bytes + 1, max_bytes)))
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue  # blank lines separate nothing in JSONL; not an error
        seen_any = True
        yield ReadUnit(name, "jsonl", number, raw, max_bytes)
    if not seen_any:
        on_problem(ReadProblem(name, None, "empty file: no JSON lines"))


# ---------------------------------------------------------------- reading one unit


# A plain-text file whose lines hold no headline of four words (text.heading_of, which asks that many to
# pass over a scraped page's chrome) may still open with a short title, «Торговля с Китаем»: its first
# line is its title when it reads as one (three words with letters, a dateline «среда, 02 июля 2025» has
# two; no full stop; within a line's length) and the text goes on after it (else it is the text).
_TITLE_MIN_WORDS = 3
_TITLE_MAX_CHARS = 300
_WORD_WITH_LETTER = re.compile(r"[^\W\d_]")


def text_title(text: str) -> str | None:
    """The title of a plain-text file: its first headline (text.heading_of), else its first line when
    that reads as a title rather than as a first paragraph."""
    found = heading_of(text)
    if found is not None:
        return found
    head = text.lstrip()[: 2 * _TITLE_MAX_CHARS + 1]
    first, newline, rest = head.partition("\n")
    line = " ".join(first.split())
    if (newline and rest.strip() and line and len(line) <= _TITLE_MAX_CHARS and line[-1] not in ".…"
            and sum(1 for w in line.split() if _WORD_WITH_LETTER.search(w)) >= _TITLE_MIN_WORDS):
        return line
    return None


def read_unit(unit: ReadUnit) -> SourcedDocument | ReadProblem:
    """The document in `unit`, or the reason there is none; never raises."""
    try:
        return _read_unit(unit)
    except Exception as e:  # a reader's bug or a library's: this input is lost, never the run
        return ReadProblem(name_of(unit.path), unit.line, f"internal error while reading: {type(e).__name__}: {e}")


def _read_unit(unit: ReadUnit) -> SourcedDocument | ReadProblem:
    try:
        if unit.kind == "jsonl":
            doc = parse_jsonl_line(unit.raw or b"")
        elif unit.kind == "txt":
            text = decode_text(_read_bytes(unit.path, unit.max_bytes))
            doc = Document(id=name_of(Path(unit.path).stem), text=text, title=text_title(text))
        else:
            doc = read_html(_read_bytes(unit.path, unit.max_bytes), name_of(Path(unit.path).stem))
    except UnreadableInput as e:
        return ReadProblem(unit.source if unit.meta else name_of(unit.path), unit.line, str(e))
    if unit.meta:
        doc = _with_meta(doc, dict(unit.meta))
    return SourcedDocument(doc, unit.source)


_REPLACED = ("id", "url", "outlet_country")
_FILLED = ("published", "title")


def _with_meta(doc: Document, meta: dict[str, str | None]) -> Document:
    changes = {k: meta[k] for k in _REPLACED if meta.get(k)}
    changes.update({k: meta[k] for k in _FILLED if meta.get(k) and not getattr(doc, k)})
    return replace(doc, **changes) if changes else doc


def _bounded_lines(f: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """The lines of `f`, each held in memory only up to `max_bytes` (None stands for a longer one)."""
    while True:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n") and len(line) == max_bytes + 1:
            yield line
            continue
        while line and not line.endswith(b"\n"):  # pass over the rest of the long line
            line = f.readline(_READ_BLOCK)
        yield None


def _read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    with open_regular(path) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise UnreadableInput(_too_big(size, max_bytes))
            data = f.read(max_bytes + 1)
        except OSError as e:
            raise UnreadableInput(f"cannot read: {e.strerror or e}") from None
    if len(data) > max_bytes:  # it grew while being read
        raise UnreadableInput(_too_big(len(data), max_bytes))
    if not data:
        raise UnreadableInput("empty file")
    return data


def decode_text(data: bytes) -> str:
    """Text of a plain-text file: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1251 or KOI8-R.

    Newlines are normalised as Python's text mode does (CRLF and CR become LF), so offsets agree
    with `open(path, encoding=...).read()`, which is how the gold documents were made."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableInput("not text: broken UTF-16") from None
    elif b"\x00" in data:
        raise UnreadableInput("binary data (NUL bytes), not text")
    else:
        text = _decode_8bit(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:_CONTROL_SAMPLE]
    if len(_CONTROL_RE.findall(sample)) > _CONTROL_MAX_RATIO * len(sample):
        raise UnreadableInput("binary data (control characters), not text")
    if not text.strip():
        raise UnreadableInput("no text: only whitespace")
    return text


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Imported here: only legacy-encoded files pay for it.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise UnreadableInput("not text: neither UTF-8 nor Windows-1251 nor KOI8-R (binary data?)")
    return str(best)


def read_html(data: bytes, doc_id: str) -> Document:
    """Main text, title, date and canonical URL of a saved page, by trafilatura.

    A truncated or fragmentary page still has text: when trafilatura finds no main content, the
    page is parsed leniently by lxml and trafilatura's baseline extractor takes its visible text."""
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnreadableInput("binary data (NUL bytes), not HTML")
    try:
        import trafilatura  # heavy import; only pages need it
    except ImportError as e:  # a broken install: say so for each page, and read the rest
        raise UnreadableInput(f"cannot read HTML here: {e} (reinstall the project's dependencies)") from None

    try:
        meta = _trafilatura(data)
        text = (meta.get("text") or "").strip()
        if not text:
            # trafilatura refuses fragments (no <html>): give it a tree lxml built from the decoded page.
            import lxml.html
            from trafilatura.utils import decode_file

            decoded = decode_file(data)
            tree = lxml.html.document_fromstring(decoded) if decoded.strip() else None
            if tree is not None:
                meta = {**_trafilatura(tree), **{k: v for k, v in meta.items() if v}}
                text = (meta.get("text") or "").strip() or (trafilatura.html2txt(tree) or "").strip()
    except Exception as e:  # trafilatura and lxml raise assorted parser errors on garbage
        raise UnreadableInput(f"unreadable HTML: {type(e).__name__}: {e}") from None
    if not text:
        raise UnreadableInput("no text found in the page")
    day = _iso_date(meta.get("date") or "")
    return Document(
        id=doc_id,
        text=text,
        published=day.isoformat() if day else None,
        url=meta.get("url") or None,
        title=meta.get("title") or None,
    )


def _trafilatura(page: object) -> dict:
    import trafilatura

    result = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # Only dates the page states as its own; dates in the body are infer_published's job.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None:
        return {}
    return result.as_dict() if hasattr(result, "as_dict") else dict(result)


def parse_jsonl_line(raw: bytes) -> Document:
    """One line of the contract's input format -> Document; every defect is an UnreadableInput."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableInput(f"not UTF-8 (byte {e.start})") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise UnreadableInput(f"invalid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise UnreadableInput("invalid JSON: nested too deeply") from None
    except ValueError as e:  # an integer of thousands of digits (Python's int limit)
        raise UnreadableInput(f"invalid JSON: {e}") from None
    if not isinstance(obj, dict):
        raise UnreadableInput(f"not a JSON object but {_json_type(obj)}")
    doc_id = obj.get("id")
    if doc_id is None:
        raise UnreadableInput("no `id`")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
        raise UnreadableInput(f"`id` must be a non-empty string, not {_json_type(doc_id)} {doc_id!r}")
    text = obj.get("text")
    if "text" not in obj or text is None:
        raise UnreadableInput(f"document {doc_id!r} has no `text`")
    if not isinstance(text, str):
        raise UnreadableInput(f"document {doc_id!r}: `text` is {_json_type(text)}, not a string")
    if not text.strip():
        raise UnreadableInput(f"document {doc_id!r}: `text` is empty")
    for name in _OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise UnreadableInput(f"document {doc_id!r}: `{name}` is {_json_type(value)}, not a string")
    for name in ("id", "text", *_OPTIONAL_FIELDS):
        value = obj.get(name)
        if isinstance(value, str) and (bad := _LONE_SURROGATE.search(value)):
            raise UnreadableInput(f"document {_printable(doc_id)!r}: `{name}` is not valid Unicode "
                                  f"(a lone surrogate U+{ord(bad.group()):04X} at character {bad.start()})")
    published = obj.get("published") or None
    day = _iso_date(published) if published is not None else None
    if published is not None and day is None:
        raise UnreadableInput(f"document {doc_id!r}: `published` is not an ISO date: {published!r}")
    return Document(
        id=str(doc_id),
        text=text,
        published=day.isoformat() if day else None,  # a date-time keeps only its day, as the store does
        url=obj.get("url") or None,
        title=obj.get("title") or None,
        outlet_country=obj.get("outlet_country") or None,
    )


def _printable(value: object) -> str:
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def name_of(path: str) -> str:
    """A file name as text: the bytes of a name that is not UTF-8 read with U+FFFD in their place, so an
    id or a source made from it can always be written out."""
    return os.fsencode(path).decode("utf-8", "replace")


def _iso_date(value: str) -> date | None:
    """The calendar date of an ISO date or date-time string, else None."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _json_type(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# ---------------------------------------------------------------- ids


class IdRegistry:
    """Ids already read in this run: a repeated id is skipped, naming where it was first read."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def check(self, doc_id: str, path: str, line: int | None) -> ReadProblem | None:
        where = path if line is None else f"{path}:{line}"
        first = self._first.get(doc_id)
        if first is None:
            self._first[doc_id] = where
            return None
        return ReadProblem(path, line, f"duplicate id {doc_id!r} (first read from {first}): skipped")


def iter_documents(
    paths: Iterable[str | Path], on_problem: Callable[[ReadProblem], None], max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[SourcedDocument]:
    """Every readable document under `paths`, in order, each id once; everything else goes to `on_problem`."""
    ids = IdRegistry()
    for unit in iter_units(paths, on_problem, max_bytes):
        result = read_unit(unit)
        if isinstance(result, ReadProblem):
            on_problem(result)
            continue
        duplicate = ids.check(result.document.id, unit.path, unit.line)
        if duplicate is not None:
            on_problem(duplicate)
            continue
        yield result
