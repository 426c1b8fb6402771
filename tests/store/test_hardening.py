"""Hostile and broken inputs and outputs: no command destroys data, hangs, or loses the other documents.

Each case was found by an adversarial probe (issue 14) and failed before its fix."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from store_helpers import ROOT, article, claims_per_doc, run_etl, spawn_etl, write_jsonl

from etl.store import connect_readonly


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extract(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "extract", *args], cwd=ROOT, input=stdin,
                          env={**os.environ, "BILATERAL_ETL_CACHE_DIR": "off", **(env or {})},
                          capture_output=True, timeout=120)


# ---------------------------------------------------------------- outputs that would destroy data


def test_export_refuses_to_overwrite_the_store(tmp_path):
    db = tmp_path / "store.duckdb"
    assert run_etl("ingest", str(write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": article("a", [1])}])),
                   "--db", str(db), "--quiet").returncode == 0
    before = sha(db)
    for target in (db, tmp_path / "." / "store.duckdb", tmp_path / "store.duckdb.lock"):
        proc = run_etl("export", "--db", str(db), "--output", str(target))
        assert proc.returncode == 2, proc.stderr
        assert "refusing to overwrite" in proc.stderr
    assert sha(db) == before
    con = connect_readonly(db)
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (1,)
    con.close()


def test_extract_refuses_to_overwrite_its_input(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Товарооборот России и Китая вырос на 5%."}])
    before = sha(src)
    link = tmp_path / "same.jsonl"
    os.link(src, link)  # the same file under another name
    for out in (src, link):
        proc = extract("--input", str(src), "--output", str(out))
        assert proc.returncode == 2 and b"refusing to overwrite" in proc.stderr
    assert sha(src) == before


def test_an_output_link_is_replaced_not_written_through(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "published": "2024-01-01",
                                               "text": "Товарооборот России и Китая в 2023 году составил 240 млрд долларов."}])
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    out.symlink_to(victim)
    assert extract("--input", str(src), "--output", str(out)).returncode == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not out.is_symlink() and json.loads(out.read_text(encoding="utf-8"))["value"] == 240e9


def test_an_interrupted_extract_keeps_the_previous_output_whole(tmp_path):
    docs = [{"id": f"d{i}", "published": "2024-01-01",
             "text": f"Товарооборот России и Китая в 2023 году составил {i + 1} млрд долларов."} for i in range(40_000)]
    src = write_jsonl(tmp_path / "in.jsonl", docs)
    out = tmp_path / "claims.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "etl", "extract", "--input", str(src), "--output", str(out)],
                            cwd=ROOT, env={**os.environ, "BILATERAL_ETL_CACHE_DIR": "off"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p.stat().st_size > 0]:
        assert time.monotonic() < deadline and proc.poll() is None, "extract never started writing"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- inputs that hung or filled memory


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_fifos_and_devices_in_a_folder_are_skipped_not_read(tmp_path, command):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a.txt")
    os.mkfifo(folder / "b.jsonl")
    (folder / "c.txt").symlink_to("/dev/zero")
    (folder / "d.txt").write_text(article("d", [3]), encoding="utf-8")
    if command == "extract":
        proc = extract("--input", str(folder))
        err = proc.stderr.decode()
    else:
        p = run_etl("ingest", str(folder), "--db", str(tmp_path / "s.duckdb"), "--quiet")
        proc, err = p, p.stderr
    assert proc.returncode == 1
    assert "a.txt: a FIFO, not a regular file" in err
    assert "b.jsonl: a FIFO, not a regular file" in err
    assert "c.txt: a device, not a regular file" in err
    if command == "ingest":
        assert "1 new" in err


def test_a_document_over_the_size_limit_is_reported_and_the_rest_load(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_text("Товарооборот вырос. " * 20_000, encoding="utf-8")
    write_jsonl(folder / "lines.jsonl", [{"id": "huge", "text": "Текст. " * 100_000},
                                         {"id": "small", "text": article("small", [2])}])
    proc = run_etl("ingest", str(folder), "--db", str(tmp_path / "s.duckdb"), "--quiet", "--max-mb", "0.1")
    assert proc.returncode == 1
    assert "big.txt: larger than the limit of 104,857 bytes" in proc.stderr
    assert "lines.jsonl:1: larger than the limit" in proc.stderr
    assert "1 new" in proc.stderr
    con = connect_readonly(tmp_path / "s.duckdb")
    assert con.execute("SELECT doc_id FROM documents").fetchall() == [("small",)]
    con.close()


# ---------------------------------------------------------------- documents that stopped `extract`


def test_extract_skips_what_it_cannot_read_and_keeps_going(tmp_path):
    good = {"id": "good", "published": "2024-02-01",
            "text": "Товарооборот между Казахстаном и Китаем в 2023 году составил 41 млрд долларов."}
    lines = [
        "[" * 5000 + "]" * 5000,  # JSON nested 5,000 deep
        '{"id": "digits", "text": "x", "n": ' + "9" * 5000 + "}",  # a 5,000-digit integer
        '{"id": "surrogate", "text": "Товарооборот \\ud800 вырос на 5%."}',  # a lone surrogate
        json.dumps(good, ensure_ascii=False),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = extract("--input", str(src))
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "in.jsonl:1: invalid JSON: nested too deeply" in err
    assert "in.jsonl:2: invalid JSON" in err
    assert "in.jsonl:3: document 'surrogate': `text` is not valid Unicode" in err
    claims = [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()]
    assert [c["doc_id"] for c in claims] == ["good"]


def test_a_file_name_that_is_not_utf8_still_gives_valid_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"\xff\xfe-page.txt")
    (folder / name).write_text("Товарооборот между Казахстаном и Китаем в 2023 году составил 41 млрд долларов.",
                               encoding="utf-8")
    proc = extract("--input", str(folder))
    assert proc.returncode == 0, proc.stderr
    (claim,) = [json.loads(x) for x in proc.stdout.decode("utf-8", "strict").splitlines()]
    assert claim["doc_id"] == "\ufffd\ufffd-page"


def test_html_pages_without_the_html_library_are_skipped_each_with_a_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_text("<html><body><p>Товарооборот вырос на 5%.</p></body></html>", encoding="utf-8")
    (folder / "b.txt").write_text("Товарооборот между Казахстаном и Китаем в 2023 году составил 41 млрд долларов.",
                                  encoding="utf-8")
    code = ("import sys; sys.modules['trafilatura'] = None; from etl.cli import main; "
            "sys.exit(main(['extract', '--input', sys.argv[1]]))")
    proc = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "BILATERAL_ETL_CACHE_DIR": "off"}, timeout=120)
    assert proc.returncode == 1
    assert "a.html: cannot read HTML here" in proc.stderr
    assert '"doc_id": "b"' in proc.stdout


# ---------------------------------------------------------------- spreadsheets


HOSTILE_TITLE = "=HYPERLINK(\"http://evil.example\",\"click\")"


def test_csv_export_neutralises_formulas_and_parquet_keeps_them(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": HOSTILE_TITLE, "url": "@SUM(1+1)",
                                              "text": "-" + article("a", [4])}])
    db = tmp_path / "s.duckdb"
    assert run_etl("ingest", str(src), "--db", str(db), "--quiet").returncode == 0
    out = tmp_path / "claims.csv"
    assert run_etl("export", "--db", str(db), "--output", str(out)).returncode == 0
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["doc_title"] == "'" + HOSTILE_TITLE
    assert row["doc_url"] == "'@SUM(1+1)"
    assert float(row["value"]) == 4e9  # numbers stay numbers
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
    pq = tmp_path / "claims.parquet"
    assert run_etl("export", "--db", str(db), "--format", "parquet", "--output", str(pq)).returncode == 0
    assert duckdb.connect().execute(f"SELECT doc_title FROM '{pq}'").fetchall() == [(HOSTILE_TITLE,)]


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize("published", ["0001-01-01", "0002-06-01", "9999-12-31"])
def test_periods_are_contract_periods_or_null_for_any_published_date(published):
    from etl.extract import extract_document
    from etl.model import Document
    from etl.periods import PERIOD_RE

    for text in ("В следующем году товарооборот между Казахстаном и Китаем достигнет 5 млрд долларов.",
                 "Позавчера товарооборот между Казахстаном и Китаем составил 5 млрд долларов.",
                 "За январь-март прошлого года товарооборот между Казахстаном и Китаем составил 5 млрд долларов."):
        for c in extract_document(Document(id="x", text=text, published=published)):
            assert c.period is None or PERIOD_RE.match(c.period), (published, text, c.period)


# ---------------------------------------------------------------- a full disk, Ctrl-C, SIGTERM


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB file system of its own (tmpfs; needs root, which CI is)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here (not root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_stops_at_once_with_the_real_error_and_the_next_run_finishes(tmp_path, small_disk):
    docs = [{"id": f"d{i:04d}", "text": article(f"d{i}", [1, 2]) * 20} for i in range(3000)]
    src = write_jsonl(tmp_path / "big.jsonl", docs)
    db = small_disk / "s.duckdb"
    proc = run_etl("ingest", str(src), "--db", str(db), "--quiet", env={"FAKE_BATCH_DOCS": "20"})
    assert proc.returncode == 1
    assert "No space left on device" in proc.stderr
    assert "stopped: the disk is full" in proc.stderr
    assert "cannot rollback" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("the database rejected it") == 0  # no document blamed for the disk
    # moved to a disk with room, the same command publishes what was committed and loads the rest
    roomy = tmp_path / "roomy"
    shutil.copytree(small_disk, roomy)
    again = run_etl("ingest", str(src), "--db", str(roomy / "s.duckdb"), "--quiet")
    assert again.returncode == 0, again.stderr
    con = connect_readonly(roomy / "s.duckdb")
    stored = claims_per_doc(con)
    con.close()
    assert len(stored) == 3000 and all(n == want for n, want in stored.values())


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("sig, status, word", [(signal.SIGINT, 130, "interrupted (Ctrl-C)"),
                                               (signal.SIGTERM, 143, "terminated (SIGTERM)")])
def test_ctrl_c_and_sigterm_stop_publish_and_summarise(tmp_path, workers, sig, status, word):
    docs = [{"id": f"d{i:04d}", "text": article(f"d{i}", [i % 3 + 1])} for i in range(2000)]
    src = write_jsonl(tmp_path / "in.jsonl", docs)
    db = tmp_path / "s.duckdb"
    proc = spawn_etl("ingest", str(src), "--db", str(db), "--quiet", "--workers", workers,
                     env={"FAKE_SLEEP_S": "0.002", "FAKE_BATCH_DOCS": "50"})
    time.sleep(2.5)
    assert proc.poll() is None, "the run ended before the signal"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert f"stopped: {word}" in err and "Traceback" not in err
    new = int(err.split(" new,")[0].rsplit(" ", 1)[1])
    con = connect_readonly(db)
    stored = claims_per_doc(con)
    con.close()
    assert len(stored) == new > 0  # exactly what the summary says was stored
    assert all(n == want for n, want in stored.values())


def test_a_failed_statement_is_reported_as_itself_not_as_a_failed_rollback(tmp_path, fake, monkeypatch):
    """ROLLBACK after a statement that already ended the transaction raised «cannot rollback - no
    transaction is active», which replaced the real error (and, on a full disk, hid it)."""
    import duckdb as ddb

    from etl.ingest import ingest_paths
    from etl.store import StoreWriter

    src = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{i}", "text": article(f"d{i}", [1])} for i in range(3)])
    real_insert = StoreWriter._insert

    def failing_insert(self, table, rows):
        if table == "claims" and any(r["doc_id"] == "d1" for r in rows):
            self.connection().execute("SELECT error('the real reason')")
        return real_insert(self, table, rows)

    monkeypatch.setattr(StoreWriter, "_insert", failing_insert)
    report = ingest_paths([src], tmp_path / "s.duckdb", quiet=True)
    assert report.new == 2
    (problem,) = report.skipped
    assert "the real reason" in str(problem) and "rollback" not in str(problem)

    def full_disk(self, table, rows):
        raise ddb.IOException('Could not write file "x.wal": No space left on device')

    monkeypatch.setattr(StoreWriter, "_insert", full_disk)
    report = ingest_paths([write_jsonl(tmp_path / "more.jsonl", [{"id": "e", "text": article("e", [2])}])],
                          tmp_path / "s.duckdb", quiet=True)
    assert report.stopped.startswith("the disk is full") and "No space left on device" in report.stopped
    assert report.skipped == [] and report.exit_status == 1


def test_a_run_killed_before_its_new_store_had_tables_does_not_break_the_next(tmp_path, fake):
    """Killed right after creating the working copy of a new store (kill -9 in test_processes hit it):
    the next run discarded the empty copy but kept its connection open, and DuckDB handed that
    instance of the deleted file back as the fresh copy, so every later query found no tables."""
    from etl.ingest import ingest_paths

    db = tmp_path / "s.duckdb"
    duckdb.connect(str(tmp_path / "s.duckdb.work")).close()  # a database file with nothing in it
    (tmp_path / "s.duckdb.work.base").write_text("null")  # copied from no published store
    report = ingest_paths([write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": article("a", [1, 2])}])], db,
                          quiet=True)
    assert (report.new, report.claims_added, report.skipped, report.stopped) == (1, 2, [], None)
    con = connect_readonly(db)
    assert claims_per_doc(con) == {"a": (2, 2)}
    con.close()
