"""Every command the README shows, run exactly as written, in the README's order, in a copy of the checkout.

The copy shares this checkout's .venv (the set-up commands made it): what is checked is that each line
works as a user types it after `./run dashboard` or `./run test`. `./run test` itself is not run (it is
the command running this test: CI calls it as `.ci/run`). Benchmarks run at a hundredth of their size
(`BILATERAL_BENCH_SCALE`, read by benchmarks/scale.py); dashboards are started, answer on their port,
and are stopped."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from etl.cli import build_parser
from setup_helpers import ROOT, clean_env, free_port

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
NOT_RUN = {"./run test": "the command running this very test (CI runs it as .ci/run)"}


def blocks(lang: str) -> list[str]:
    return [body for kind, body in FENCE.findall(README) if kind == lang]


def lines(lang: str) -> list[str]:
    return [ln.strip() for body in blocks(lang) for ln in body.splitlines()
            if ln.strip() and not ln.strip().startswith("#")]


def _command(line: str) -> str:
    return line.split("  #", 1)[0].strip()


def test_the_readme_shows_commands():
    cmds = lines("bash")
    assert len(cmds) >= 15
    assert {"./run dashboard", "./run test"} <= {_command(c) for c in cmds}


def test_every_command_goes_through_the_set_up():
    """`python -m etl …` fails on a fresh machine (no duckdb outside .venv): every command is ./run's."""
    for line in lines("bash") + lines("text"):
        words = shlex.split(_command(line))
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            words = words[1:]
        assert words[0] == "./run", line
    assert not re.search(r"(?<!\./run etl )(?<![\w/])python3? -m (etl|streamlit)", README)
    assert ".venv/bin/python" not in README


def test_every_option_in_a_synopsis_exists():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for line in lines("text"):
        words = shlex.split(_command(line).replace("|", " "))
        assert words[:2] == ["./run", "etl"], line
        sub = subparsers[words[2]]
        known = {s for a in sub._actions for s in a.option_strings}
        for w in words[3:]:
            for flag in re.findall(r"--[a-z-]+", w):
                assert flag in known, f"{line}: {flag} is not an option of `{words[2]}`"


def _wait_for_health(port: int, proc: subprocess.Popen, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the dashboard exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read() == b"ok":
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                        assert page.status == 200
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"no answer on port {port} after {timeout_s} s")


def _run_dashboard(line: str, cwd: Path, env: dict[str, str]) -> None:
    m = re.search(r"--server\.port[ =](\d+)", line)
    port = int(m.group(1)) if m else free_port()
    env = {**env, "STREAMLIT_SERVER_PORT": str(port)} if not m else env
    proc = subprocess.Popen(["bash", "-c", line], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        _wait_for_health(port, proc)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.readme
def test_every_readme_command_works_as_written(checkout: Path, tmp_path: Path):
    env = clean_env(BILATERAL_ETL_CACHE_DIR=str(tmp_path / "cache"), BILATERAL_BENCH_SCALE="0.01")
    ran = []
    for line in lines("bash"):
        cmd = _command(line)
        if cmd in NOT_RUN:
            continue
        if "./run dashboard" in cmd:
            _run_dashboard(cmd, checkout, env)
        else:
            proc = subprocess.run(["bash", "-c", line], cwd=checkout, env=env, capture_output=True, text=True,
                                  timeout=900)
            assert proc.returncode == 0, f"{line}\n--- stderr:\n{proc.stderr[-3000:]}"
        ran.append(cmd)
    # what the commands were meant to leave behind, in the copy
    assert (checkout / "data" / "indicators.duckdb").is_file()  # ./run dashboard built it
    assert (checkout / "other.duckdb").is_file()
    assert sum(1 for _ in (checkout / "claims.jsonl").open()) > 0
    assert (checkout / "claims.csv").read_bytes().count(b"\n") > 1
    assert len(ran) == len(lines("bash")) - len(NOT_RUN)
