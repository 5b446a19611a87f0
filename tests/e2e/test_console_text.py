"""Bytes that are not UTF-8 typed into the console chat: answered, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_cli import ROOT, cli_environment


@pytest.mark.parametrize(
    "io_encoding",
    [
        pytest.param("utf-8", id="strict-utf8-terminal"),
        pytest.param("utf-8:surrogateescape", id="c-utf8-locale"),
    ],
)
def test_invalid_utf8_is_answered_without_a_traceback(tmp_path: Path, io_encoding: str) -> None:
    env = cli_environment(tmp_path, PYTHONIOENCODING=io_encoding, PYTHONPATH=str(ROOT))
    # Bob joins first, so Alice can mention him.
    joined = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", "bob"],
        input=b"/help\n",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert joined.returncode == 0, joined.stderr
    typed = (
        b"hello \xff\xfe there\n"
        b"/kudos @bob for the \xff\xfe storytime\n"
        b"/kudos @zed for \xff the help\n"  # refused (unknown name), quoting the line
        b"/kudos mine\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", "alice"],
        input=typed,
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    output = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "went wrong" not in output
    assert "[posted in #kudos]" in output and "\ufffd\ufffd storytime" in output
    assert "I don't know @zed" in output and "You typed: /kudos @zed for \ufffd the help" in output
    assert "Kudos you gave: 1" in output
