"""The on-disk lexicon cache: it must give the very lexicon the tables build, and never a stale one."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import lexicon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(lexicon.CACHE_ENV, str(folder))
    return folder


def load_uncached_by_process():
    return lexicon.load.__wrapped__()  # `load` itself is memoised for the process


def test_first_load_writes_the_cache_and_the_second_reads_the_same_lexicon(cache_dir, lex):
    first = load_uncached_by_process()
    files = list(cache_dir.glob("lexicon-*.pickle"))
    assert len(files) == 1
    assert first == lex
    second = lexicon._read_cache(files[0])
    assert second is not None and second == lexicon.build()
    assert load_uncached_by_process() == lex


def test_a_broken_cache_file_is_rebuilt_not_trusted(cache_dir, lex):
    load_uncached_by_process()
    (path,) = cache_dir.glob("lexicon-*.pickle")
    path.write_bytes(b"\x80\x04 not a pickle")
    assert load_uncached_by_process() == lex
    assert lexicon._read_cache(path) == lex  # and the file was written again


def test_a_pickle_of_something_else_is_not_taken_for_a_lexicon(cache_dir, lex):
    path = lexicon._cache_path()
    path.parent.mkdir(parents=True)
    import pickle

    path.write_bytes(pickle.dumps({"names_by_first": {}}))
    assert load_uncached_by_process() == lex


@pytest.mark.parametrize("setting", ["off", "", "0"])
def test_the_cache_can_be_turned_off(monkeypatch, tmp_path, setting, lex):
    monkeypatch.setenv(lexicon.CACHE_ENV, setting)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lexicon._cache_path() is None
    assert load_uncached_by_process() == lex
    assert list(tmp_path.rglob("*.pickle")) == []


def test_an_unwritable_cache_folder_costs_only_speed(monkeypatch, tmp_path, lex):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(lexicon.CACHE_ENV, str(blocker / "cache"))
    assert load_uncached_by_process() == lex


def test_an_edited_table_gets_a_new_cache_entry(cache_dir, monkeypatch, tmp_path):
    tables = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, tables)
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tables)
    before = lexicon._cache_path()
    load_uncached_by_process()
    with (tables / "capitals.csv").open("a", encoding="utf-8") as f:
        f.write("Чолпон-Ата,KGZ,city\n")
    after = lexicon._cache_path()
    assert after != before
    fresh = load_uncached_by_process()
    assert "чолпон-ата" in fresh.names_by_first  # the analyst's new row is read, not the old pickle
    assert len(list(cache_dir.glob("lexicon-*.pickle"))) == 2


def test_a_cli_run_uses_the_cache_folder_it_is_given(tmp_path):
    folder = tmp_path / "cli-cache"
    doc = tmp_path / "doc.txt"
    doc.write_text("Товарооборот между Россией и Казахстаном в 2023 году составил 28 млрд долларов.", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", lexicon.CACHE_ENV: str(folder), "PYTHONPATH": str(ROOT)}
    for _ in range(2):  # the first run writes the cache, the second reads it: same claims
        out = subprocess.run([sys.executable, "-m", "etl", "extract", "--input", str(doc)],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        assert '"value": 28000000000' in out.stdout.replace(".0", "")
    assert len(list(folder.glob("lexicon-*.pickle"))) == 1
