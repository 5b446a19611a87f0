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
    typed = b"hello \xff\xfe there\n/kudos @bob for the \xff\xfe storytime\n/kudos mine\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", "alice"],
        input=typed,
        capture_output=True,
        env=cli_environment(tmp_path, PYTHONIOENCODING=io_encoding, PYTHONPATH=str(ROOT)),
        cwd=tmp_path,
        timeout=60,
    )
    output = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "went wrong" not in output
    assert "[posted in #kudos]" in output and "\ufffd\ufffd storytime" in output
    assert output.count("bot> ") == 3
