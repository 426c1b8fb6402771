"""The on-disk lexicon cache: it must give the very lexicon the tables build, never a stale, broken,
emptied or planted one, never run code, never follow a link, and never change what is extracted."""
from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from etl import cache as cache_file
from etl import lexicon

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(lexicon.CACHE_ENV, str(folder))
    return folder


def load_uncached_by_process():
    return lexicon.load.__wrapped__()  # `load` itself is memoised for the process


def read(path: Path):
    return cache_file.read(path, lexicon._cache_key(), lexicon._CACHE_CLASSES, lexicon._is_whole_lexicon)


def plant(path: Path, obj: object) -> None:
    """A file under the right name, key and digest: only the checks after those stand in its way."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write(path, lexicon._cache_key(), obj)


def test_first_load_writes_the_cache_and_the_second_reads_the_same_lexicon(cache_dir, lex):
    first = load_uncached_by_process()
    files = list(cache_dir.glob("lexicon-*.pickle"))
    assert len(files) == 1
    assert first == lex
    assert read(files[0]) == lexicon.build()
    assert load_uncached_by_process() == lex


def test_a_broken_cache_file_is_rebuilt_not_trusted(cache_dir, lex):
    load_uncached_by_process()
    (path,) = cache_dir.glob("lexicon-*.pickle")
    path.write_bytes(b"\x80\x04 not a pickle")
    assert load_uncached_by_process() == lex
    assert read(path) == lex  # and the file was written again


def test_a_planted_pickle_never_runs_its_code(cache_dir, tmp_path, lex):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    path = lexicon._cache_path()
    plant(path, Payload())
    assert load_uncached_by_process() == lex
    assert not marker.exists()
    plain = pickle.dumps(Payload())  # and a bare pickle, without the cache's header
    path.write_bytes(plain)
    assert load_uncached_by_process() == lex
    assert not marker.exists()


def test_an_entry_of_an_older_version_missing_a_field_is_rebuilt(cache_dir, lex):
    old = lexicon.build()
    del old.__dict__["cues"]  # as a Lexicon pickled before the field existed
    plant(lexicon._cache_path(), old)
    assert load_uncached_by_process() == lex


def test_an_emptied_entry_is_rebuilt(cache_dir, lex):
    emptied = dataclasses.replace(lexicon.build(), names_by_first={}, country_names={})
    plant(lexicon._cache_path(), emptied)
    assert load_uncached_by_process() == lex
    path = lexicon._cache_path()
    data = bytearray(path.read_bytes())  # a payload edited behind the digest's back
    data[-200] ^= 1
    path.write_bytes(bytes(data))
    assert read(path) is None
    assert load_uncached_by_process() == lex


def test_something_else_is_not_taken_for_a_lexicon(cache_dir, lex):
    plant(lexicon._cache_path(), {"names_by_first": {}})
    assert load_uncached_by_process() == lex


def test_a_link_at_the_cache_path_is_neither_read_nor_written_through(cache_dir, tmp_path, lex):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    path = lexicon._cache_path()
    path.symlink_to(victim)
    assert load_uncached_by_process() == lex
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not path.is_symlink() and read(path) == lex  # the link itself was replaced


def test_under_umask_000_the_folder_and_files_are_private(tmp_path, monkeypatch, lex):
    folder = tmp_path / "deep" / "cache"
    monkeypatch.setenv(lexicon.CACHE_ENV, str(folder))
    old = os.umask(0)
    try:
        load_uncached_by_process()
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (path,) = folder.glob("lexicon-*.pickle")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_folder_others_can_write_is_not_used(cache_dir, lex, capsys):
    cache_dir.mkdir()
    cache_dir.chmod(0o777)
    assert lexicon._cache_path() is None
    assert "can be written by others" in capsys.readouterr().err
    assert load_uncached_by_process() == lex
    assert list(cache_dir.iterdir()) == []


def test_a_linked_folder_is_not_used(tmp_path, monkeypatch, lex):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    monkeypatch.setenv(lexicon.CACHE_ENV, str(tmp_path / "link"))
    assert lexicon._cache_path() is None


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
    assert "чолпон-ата" in fresh.names_by_first  # the analyst's new row is read, not the old entry
    assert len(list(cache_dir.glob("lexicon-*.pickle"))) == 2


def _extract(path: Path, cache: str) -> str:
    env = {"PATH": "/usr/bin:/bin", lexicon.CACHE_ENV: cache, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "etl", "extract", "--input", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=300).stdout


def test_the_cache_never_changes_the_output_on_the_gold_sets(tmp_path):
    folder = str(tmp_path / "cli-cache")
    for docs in sorted(FIXTURES.glob("*docs.jsonl")):
        uncached = _extract(docs, "off")
        assert uncached.count("\n") > 5
        assert _extract(docs, folder) == uncached  # the run that builds and writes the cache
        assert _extract(docs, folder) == uncached  # the run that reads it
    assert len(list(Path(folder).glob("lexicon-*.pickle"))) == 1


def test_every_class_a_lexicon_holds_is_allowed_by_the_cache(cache_dir, lex):
    """A new table read into a new dataclass on the Lexicon must be on the unpickler's allow-list, or
    every run would silently rebuild the lexicon (correct, but 0.6 s slower)."""
    held = {(type(v).__module__, type(v).__name__) for v in vars(lex).values() if dataclasses.is_dataclass(v)}
    assert {("etl.lexicon", "FunctionWords"), ("etl.lexicon", "CalendarWords"), ("etl.lexicon", "SideWords"),
            ("etl.lexicon", "TextRules"), ("etl.lexicon", "FigureWords")} <= held
    assert held <= lexicon._CACHE_CLASSES
    load_uncached_by_process()
    (path,) = cache_dir.glob("lexicon-*.pickle")
    cached = read(path)
    assert cached == lex and cached.calendar.patterns == lex.calendar.patterns
