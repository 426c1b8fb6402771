"""The store across real processes: the CLI, bad inputs, readers during writes, crashes, two writers."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import duckdb
import pytest
from store_helpers import article, claims_per_doc, run_etl, spawn_etl, write_jsonl

from etl.store import connect_readonly, db_version

TRUNCATED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Помощь Кыргызстану</title>
<link rel="canonical" href="https://example.kg/aid/7"></head><body><div class="menu">Главная | Новости</div>
<article><h1>Россия направила гуманитарную помощь</h1>
<p>Россия направила Кыргызстану гуманитарную помощь, ранее товарооборот составил 4 млрд долларов.</p>
<p>Груз доставлен в Бишкек, сообщили в ведом"""


def bad_folder(root: Path) -> Path:
    """The issue's mixed folder: good documents and every kind of bad input."""
    folder = root / "inbox"
    (folder / "pages").mkdir(parents=True)
    (folder / "good.txt").write_text(article("good", [1, 2]), encoding="utf-8")
    (folder / "legacy-1251.txt").write_bytes(article("legacy", [3]).encode("cp1251"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "feed.jsonl").write_text(
        '{"id": "feed-1", "text": "обрыв строки\n'
        + '{"id": "feed-2", "text": "' + article("feed-2", [5]).replace("\n", "\\n") + '"}\n'
        + '{"id": "feed-2", "text": "the same id again"}\n',
        encoding="utf-8",
    )
    (folder / "pages" / "cut.html").write_text(TRUNCATED_PAGE, encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    return folder


def test_a_mixed_folder_loads_every_good_document_and_names_every_bad_file(tmp_path):
    folder = bad_folder(tmp_path)
    db = tmp_path / "store.duckdb"
    proc = run_etl("ingest", str(folder), "--db", str(db), "--quiet")
    assert proc.returncode == 1, proc.stderr  # something was skipped
    assert proc.stdout == ""
    err = proc.stderr
    for bad in [f"{folder}/binary.txt: binary data", f"{folder}/empty.txt: empty file",
                f"{folder}/feed.jsonl:1: invalid JSON", f"{folder}/scan.pdf: skipped: not .txt/.html/.htm/.jsonl",
                f"{folder}/feed.jsonl:3: duplicate id 'feed-2' (first read from {folder}/feed.jsonl:2): skipped"]:
        assert bad in err
    assert "5 documents read: 4 new, 0 replaced, 0 unchanged, 5 skipped; 5 claims added" in err
    con = connect_readonly(db)
    docs = dict(con.execute("SELECT doc_id, text FROM documents").fetchall())
    assert sorted(docs) == ["cut", "feed-2", "good", "legacy-1251"]
    assert docs["legacy-1251"] == article("legacy", [3])  # decoded from cp1251
    assert docs["feed-2"] == article("feed-2", [5])  # the good line after the broken one
    assert "товарооборот составил 4 млрд долларов" in docs["cut"]  # the truncated page's text
    assert con.execute("SELECT url, title FROM documents WHERE doc_id = 'cut'").fetchone() == (
        "https://example.kg/aid/7", "Россия направила гуманитарную помощь")  # trafilatura prefers the <h1>
    assert all(n == want for n, want in claims_per_doc(con).values())
    con.close()


def test_second_cli_ingest_adds_nothing_and_exits_zero(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i}", "text": article(f"d{i}", [i])} for i in range(3)])
    db = tmp_path / "s.duckdb"
    first = run_etl("ingest", str(src), "--db", str(db))
    assert first.returncode == 0 and "3 new" in first.stderr and "3 claims added" in first.stderr
    second = run_etl("ingest", str(src), "--db", str(db), "--workers", "2")
    assert second.returncode == 0, second.stderr
    assert "0 new, 0 replaced, 3 unchanged, 0 skipped; 0 claims added" in second.stderr


def test_readers_never_fail_nor_see_half_a_document_while_an_ingest_runs(tmp_path):
    """Two real processes: one ingesting in a loop, this one opening the published file again and again."""
    ids = [f"doc-{i:03d}" for i in range(120)]
    # Two versions of the same documents with different numbers of figures: every run replaces all.
    a = write_jsonl(tmp_path / "a" / "docs.jsonl", [{"id": d, "text": article(d, [1] * (i % 5))} for i, d in enumerate(ids)])
    b = write_jsonl(tmp_path / "b" / "docs.jsonl", [{"id": d, "text": article(d, [2] * ((i + 2) % 5))} for i, d in enumerate(ids)])
    db = tmp_path / "store.duckdb"
    writer = spawn_etl("ingest", f"{a}::{b}", "--db", str(db), "--quiet", "--publish-every", "0",
                       env={"FAKE_LOOP": "3", "FAKE_BATCH_DOCS": "30"})
    versions, states, reads = set(), set(), 0
    try:
        deadline = time.monotonic() + 60
        while writer.poll() is None and time.monotonic() < deadline:
            try:
                con = connect_readonly(db)
            except FileNotFoundError:
                assert not versions, "the database vanished after it was published"
                time.sleep(0.005)
                continue
            try:
                versions.add(db_version(db))
                stored = claims_per_doc(con)
                assert all(n == want for n, want in stored.values()), "a document without all its claims"
                # the view agrees with the tables inside one snapshot
                total = con.execute("SELECT count(*) FROM claims_with_source").fetchone()[0]
                assert total == sum(n for n, _ in stored.values())
                states.add((len(stored), total))
                reads += 1
            finally:
                con.close()
        out, err = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err
    print(f"{reads} reads of {len(versions)} published versions, {len(states)} distinct states")
    assert reads >= 10 and len(versions) >= 4, (reads, versions)  # we really read during the writes
    assert len(states) >= 3  # and saw different published states (partial first run, A, B)
    final = connect_readonly(db)
    assert len(claims_per_doc(final)) == 120
    final.close()


def test_a_killed_ingest_loses_no_committed_document(tmp_path):
    n = 600  # at 10 ms a document the run lasts 6 s; it is killed after about 0.5 s
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i:03d}", "text": article(f"d{i}", [i % 3 + 1])} for i in range(n)])
    db = tmp_path / "store.duckdb"
    writer = spawn_etl("ingest", str(src), "--db", str(db), "--quiet", "--publish-every", "3600",
                       env={"FAKE_SLEEP_S": "0.01", "FAKE_BATCH_DOCS": "10"})
    work = db.with_name(db.name + ".work")
    deadline = time.monotonic() + 30
    committed, attempt = 0, 0
    while time.monotonic() < deadline and committed < 30:
        time.sleep(0.2)
        attempt += 1
        # What DuckDB would recover from the working copy right now. A fresh name each time: DuckDB
        # caches open instances by path.
        probe = tmp_path / f"probe{attempt}.duckdb"
        try:
            probe.write_bytes(work.read_bytes())
            wal = Path(str(work) + ".wal")
            if wal.exists():
                Path(str(probe) + ".wal").write_bytes(wal.read_bytes())
            c = duckdb.connect(str(probe), read_only=True)
            try:
                committed = c.execute("SELECT count(*) FROM documents").fetchone()[0]
            finally:
                c.close()
        except (OSError, duckdb.Error):
            continue  # not created yet, or the schema not yet committed
        finally:
            probe.unlink(missing_ok=True)
            Path(str(probe) + ".wal").unlink(missing_ok=True)
    os.kill(writer.pid, signal.SIGKILL)
    writer.communicate()
    assert 30 <= committed < n
    assert not db.exists()  # nothing was published before the crash: readers saw no half state

    rerun = run_etl("ingest", str(src), "--db", str(db), "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert "committed by an interrupted run" in rerun.stderr
    con = connect_readonly(db)
    stored = claims_per_doc(con)
    con.close()
    assert len(stored) == n and all(n == want for n, want in stored.values())
    recovered = int(rerun.stderr.split("publishing ")[1].split(" documents")[0])
    assert recovered >= committed
    assert f"{n - recovered} new, 0 replaced, {recovered} unchanged" in rerun.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store.duckdb", "store.duckdb.lock"]


def test_two_writers_take_turns(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": f"a{i}", "text": article(f"a{i}", [1])} for i in range(40)])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": f"b{i}", "text": article(f"b{i}", [2, 3])} for i in range(40)])
    db = tmp_path / "store.duckdb"
    env = {"FAKE_SLEEP_S": "0.01"}
    first = spawn_etl("ingest", str(a), "--db", str(db), "--quiet", env=env)
    second = spawn_etl("ingest", str(b), "--db", str(db), "--quiet", env=env)
    results = [p.communicate(timeout=60) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    assert any("waiting for it to finish" in err for _, err in results)
    con = connect_readonly(db)
    assert con.execute("SELECT count(*), sum(CASE WHEN doc_id LIKE 'b%' THEN 1 ELSE 0 END) FROM documents").fetchone() == (80, 40)
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (120,)
    con.close()


def test_build_sample_builds_once(tmp_path):
    db = tmp_path / "data" / "indicators.duckdb"
    first = run_etl("build-sample", "--if-missing", "--db", str(db))
    assert first.returncode == 0, first.stderr
    con = connect_readonly(db)
    assert con.execute("SELECT count(*), count(DISTINCT source) FROM documents").fetchone() == (43, 43)
    con.close()
    version = db_version(db)
    again = run_etl("build-sample", "--if-missing", "--db", str(db))
    assert again.returncode == 0 and again.stderr == "" and db_version(db) == version


def test_export_cli(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i}", "text": article(f"d{i}", [i, i + 1])} for i in range(3)])
    db = tmp_path / "s.duckdb"
    assert run_etl("ingest", str(src), "--db", str(db)).returncode == 0
    out = run_etl("export", "--format", "csv", "--db", str(db))
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0].startswith("claim_id,doc_id,indicator,country_a,country_b") and len(lines) == 7
    refused = run_etl("export", "--format", "parquet", "--db", str(db))
    assert refused.returncode == 2 and "--output" in refused.stderr
    pq = tmp_path / "out" / "c.parquet"
    pq.parent.mkdir()
    done = run_etl("export", "--format", "parquet", "--db", str(db), "--output", str(pq))
    assert done.returncode == 0 and duckdb.connect().execute(f"SELECT count(*) FROM '{pq}'").fetchone() == (6,)
    missing = run_etl("export", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1 and "no database" in missing.stderr


def test_reextract_cli(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i}", "text": article(f"d{i}", [i, i + 1])} for i in range(4)])
    db = tmp_path / "s.duckdb"
    assert run_etl("ingest", str(src), "--db", str(db), env={"FAKE_EXTRACTOR_VERSION": "v1"}).returncode == 0
    proc = run_etl("reextract", "--db", str(db), "--workers", "2", env={"FAKE_EXTRACTOR_VERSION": "v2"})
    assert proc.returncode == 0, proc.stderr
    assert "4 documents read: 4 re-extracted" in proc.stderr and "8 claims added, 8 removed" in proc.stderr
    con = connect_readonly(db)
    assert con.execute("SELECT DISTINCT extractor_version FROM claims").fetchall() == [("v2",)]
    con.close()


def test_ingest_twice_matches_the_extract_command(tmp_path):
    """The bar, with the real extractor: ingest's claims = `python -m etl extract`'s, and a second run adds none."""
    samples = "data/samples"
    out = tmp_path / "claims.jsonl"
    extracted = run_etl("extract", "--input", samples, "--output", str(out), fake_extractor=False)
    n_extracted = len(out.read_text(encoding="utf-8").splitlines())
    db = tmp_path / "s.duckdb"
    first = run_etl("ingest", samples, "--db", str(db), "--workers", "2", fake_extractor=False)
    assert first.returncode == extracted.returncode == 0, first.stderr + extracted.stderr
    assert f"43 new, 0 replaced, 0 unchanged, 0 skipped; {n_extracted} claims added" in first.stderr
    second = run_etl("ingest", samples, "--db", str(db), fake_extractor=False)
    assert "0 new, 0 replaced, 43 unchanged, 0 skipped; 0 claims added" in second.stderr
    con = connect_readonly(db)
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (n_extracted,)
    keys = {(r["doc_id"], r["span"][0], r["span"][1], r["indicator"], r["value"])
            for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    stored = set(con.execute("SELECT doc_id, span_start, span_end, indicator, value FROM claims").fetchall())
    con.close()
    assert stored == keys


def test_a_killed_worker_fails_its_document_and_the_run_finishes(tmp_path):
    """A worker killed mid-run (the OOM killer) once left the parent waiting forever, holding the lock."""
    docs = [{"id": f"d{i}", "text": article(f"d{i}", [i % 5 + 1])} for i in range(300)]
    docs[150]["text"] += "KILL-WORKER\n"
    src = write_jsonl(tmp_path / "in.jsonl", docs)
    db = tmp_path / "store.duckdb"
    proc = run_etl("ingest", str(src), "--db", str(db), "--workers", "2", "--quiet")
    assert proc.returncode == 1, proc.stderr
    assert "in.jsonl:151" in proc.stderr and "worker process died" in proc.stderr
    con = connect_readonly(db)
    stored = claims_per_doc(con)
    con.close()
    assert set(stored) == {f"d{i}" for i in range(300)} - {"d150"}  # only the killer is lost
    assert all(n == want for n, want in stored.values())
    # the lock was let go: the next run works, and loads the rest once the input is fixed
    docs[150]["text"] = article("d150", [7])
    write_jsonl(src, docs)
    again = run_etl("ingest", str(src), "--db", str(db), "--workers", "2", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "1 new, 0 replaced, 299 unchanged, 0 skipped" in again.stderr, again.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_9_at_random_moments_never_loses_or_halves_a_document(tmp_path, workers):
    """Each run is killed (the whole process group, workers included) at a random moment; the next run
    recovers what was committed. At the end the store holds every document exactly once, whole."""
    import random
    import subprocess
    import sys

    from store_helpers import HERE, ROOT

    rng = random.Random(20261202 + int(workers))
    n = 400
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i:03d}", "text": article(f"d{i}", [i % 4 + 1])} for i in range(n)])
    db = tmp_path / "store.duckdb"
    env = {**os.environ, "FAKE_SLEEP_S": "0.005", "FAKE_BATCH_DOCS": "7"}
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, str(HERE / "store_driver.py"), "ingest", str(src), "--db", str(db),
                                 "--quiet", "--workers", workers, "--publish-every", "0.5"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        time.sleep(rng.uniform(0.3, 2.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        if db.exists():  # whatever a reader sees between the crashes is whole
            con = connect_readonly(db)
            assert all(k == want for k, want in claims_per_doc(con).values())
            con.close()
    final = run_etl("ingest", str(src), "--db", str(db), "--quiet", "--workers", workers)
    assert final.returncode == 0, final.stderr
    con = connect_readonly(db)
    stored = claims_per_doc(con)
    con.close()
    assert len(stored) == n and all(k == want for k, want in stored.values())
