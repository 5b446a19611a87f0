"""Counts in messages agree with their number: "1 contact", "3 contacts"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.replies import counted

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0 unsent messages"),
        (1, "1 unsent message"),
        (2, "2 unsent messages"),
    ],
)
def test_counted(number: int, expected: str) -> None:
    assert counted(number, "unsent message") == expected


def test_counted_with_an_irregular_plural() -> None:
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(5, "entry", "entries") == "5 entries"


def test_knowledge_check_counts_one_contact_as_one_contact() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(FIXTURES / "good.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("(2 entries, 2 deadlines and events, 1 contact)")
