"""The extractor's version is derived from what decides the claims, and `reextract` follows it.

It was a constant "1.0.0" through dozens of changed rules, so `reextract` refreshed nothing after an
upgrade. Here a copy of the package ingests documents, one row of a knowledge table changes, and a plain
`reextract` (no flags) must hand every claim the new version."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from etl import version

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "tests" / "fixtures" / "dev_docs.jsonl"


def test_the_version_is_release_plus_digest_and_stable():
    v = version.extractor_version()
    assert re.fullmatch(r"\d+\.\d+\+[0-9a-f]{12}", v), v
    assert v.startswith(version.RELEASE + "+")
    import etl.extract

    assert etl.extract.EXTRACTOR_VERSION == v


def test_it_covers_the_extraction_code_and_every_table_but_not_the_plumbing():
    names = {p.name for p in version.extraction_sources()}
    assert {"sentence.py", "claim_rules.py", "rules.py", "numbers.py", "periods.py", "countries.py", "extract.py", "lexicon.py"} <= names
    assert {p.name for p in version.LEXICON_DIR.iterdir() if p.is_file()} <= names
    assert not names & {"store.py", "ingest.py", "cli.py", "readers.py", "outputs.py", "cache.py", "interrupts.py"}
    assert {"rules.py", "vocabulary.py", "text.py"} <= names
    # every excluded name is a real module: a typo would silently put nothing out of the version
    assert all((version.PACKAGE_DIR / n).is_file() for n in version.NOT_EXTRACTION)


def test_a_changed_byte_of_a_table_changes_the_digest(tmp_path):
    tables = tmp_path / "lexicon"
    shutil.copytree(version.LEXICON_DIR, tables)
    before = version.digest(version.lexicon_tables(tables))
    with (tables / "capitals.csv").open("a", encoding="utf-8") as f:
        f.write("Чолпон-Ата,KGZ,city\n")
    assert version.digest(version.lexicon_tables(tables)) != before


def _etl(pkg: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(pkg), "BILATERAL_ETL_CACHE_DIR": str(pkg / "cache")}
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=pkg, env=env, capture_output=True, text=True,
                          timeout=300)


def _versions(db: Path, table: str) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [v for (v,) in con.execute(f"SELECT DISTINCT extractor_version FROM {table} ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_a_changed_table_row_makes_reextract_refresh_every_claim(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "etl", pkg / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(DOCS.read_text(encoding="utf-8").splitlines(keepends=True)[:6]), encoding="utf-8")
    db = tmp_path / "store.duckdb"

    def current() -> str:
        return _etl(pkg, "--version").stdout.strip()

    first = current()
    assert _etl(pkg, "ingest", str(docs), "--db", str(db), "--quiet").returncode == 0
    assert _versions(db, "claims") == [first] and _versions(db, "documents") == [first]

    with (pkg / "etl" / "lexicon" / "capitals.csv").open("a", encoding="utf-8") as f:
        f.write("Чолпон-Ата,KGZ,city\n")
    second = current()
    assert second != first

    again = _etl(pkg, "ingest", str(docs), "--db", str(db), "--quiet")
    assert "reextract" in again.stderr  # ingest says older extractions are stored
    proc = _etl(pkg, "reextract", "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert _versions(db, "claims") == [second] and _versions(db, "documents") == [second]
    # with nothing changed since, a plain reextract has nothing to do
    assert "0 re-extracted" in _etl(pkg, "reextract", "--db", str(db), "--quiet").stderr
