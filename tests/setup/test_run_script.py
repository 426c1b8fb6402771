"""`./run`'s install step for Debian's chromium, with stub `apt-get`, `id` and `sudo` on PATH.

The step once read `$sudo DEBIAN_FRONTEND=noninteractive apt-get …`: as root `$sudo` is empty, so bash
ran the assignment as a command's name (exit 127), and CI passed only because its machine already had
chromium. These tests run the step with no browser, as root and as a user, so it can never pass by
accident again."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from setup_helpers import ROOT

RUN = ROOT / "run"


def _script(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _stubs(tmp_path: Path, *, uid: int, apt_fails: bool = False) -> tuple[dict[str, str], Path, Path]:
    """A PATH whose apt-get logs its calls (and 'installs' the browser), and whose id says `uid`."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "calls.log"
    browser = tmp_path / "usr" / "bin" / "chromium"
    _script(bin_ / "apt-get", f"""
echo "apt-get DEBIAN_FRONTEND=${{DEBIAN_FRONTEND:-unset}} $*" >> {log}
{'exit 100' if apt_fails else ''}
if [ "$1" = install ]; then mkdir -p {browser.parent}; printf '#!/bin/sh\\n' > {browser}; chmod +x {browser}; fi
""")
    _script(bin_ / "id", f'[ "$1" = -u ] && echo {uid} || /usr/bin/id "$@"\n')
    _script(bin_ / "sudo", f'echo "sudo $*" >> {log}\nexec "$@"\n')
    env = {**os.environ, "PATH": f"{bin_}:/usr/bin:/bin", "BILATERAL_CHROMIUM": str(browser)}
    return env, log, browser


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUN), "browser"], env=env, capture_output=True, text=True, timeout=60)


def test_as_root_without_a_browser_installs_it_with_apt_get(tmp_path):
    env, log, browser = _stubs(tmp_path, uid=0)
    proc = _run(env)
    assert proc.returncode == 0, proc.stderr
    assert "command not found" not in proc.stderr
    assert log.read_text().splitlines() == [
        "apt-get DEBIAN_FRONTEND=noninteractive update -qq",
        "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq chromium",
    ]
    assert os.access(browser, os.X_OK)


def test_as_a_user_it_goes_through_sudo(tmp_path):
    env, log, browser = _stubs(tmp_path, uid=1000)
    proc = _run(env)
    assert proc.returncode == 0, proc.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq"
    assert "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq chromium" in calls
    assert os.access(browser, os.X_OK)


def test_a_browser_already_there_is_left_alone(tmp_path):
    env, log, browser = _stubs(tmp_path, uid=0)
    browser.parent.mkdir(parents=True)
    _script(browser, "")
    proc = _run(env)
    assert proc.returncode == 0, proc.stderr
    assert not log.exists()


def test_a_failing_apt_get_fails_the_step(tmp_path):
    env, log, browser = _stubs(tmp_path, uid=0, apt_fails=True)
    proc = _run(env)
    assert proc.returncode != 0
    assert not browser.exists()
    assert log.read_text().splitlines() == ["apt-get DEBIAN_FRONTEND=noninteractive update -qq"]


def test_an_unknown_command_is_misuse():
    proc = subprocess.run([str(RUN), "nonsense"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "usage: ./run" in proc.stderr
