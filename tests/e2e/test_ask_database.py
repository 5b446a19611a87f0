"""`memberbot ask` opens the database only to store a question it could not answer."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import memberbot

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"


def test_an_answered_question_leaves_the_database_alone(tmp_path: Path) -> None:
    result = memberbot("ask", "--json", "when is the mentoring deadline", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answered"] is True
    assert not (tmp_path / "var").exists()  # no database file was created


def test_a_miss_creates_and_migrates_the_database_and_is_stored(tmp_path: Path) -> None:
    result = memberbot("ask", "what is the capital of australia", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "memberbot.sqlite3").is_file()
    stored = memberbot("unanswered", "--json", tmp_path=tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert [json.loads(line)["question"] for line in stored.stdout.splitlines()] == [
        "what is the capital of australia"
    ]


def test_a_database_outage_costs_no_answer(tmp_path: Path) -> None:
    questions = "when is the mentoring deadline\nwhat is the capital of australia\n"
    result = memberbot(
        "ask", "--json", "-", tmp_path=tmp_path, stdin=questions, DATABASE_URL=UNREACHABLE
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["answered"] for record in records] == [True, False]
    assert "ala.org" in records[1]["answer"]  # the abstention names a contact
    assert "could not store unanswered question" in result.stderr


def test_a_bad_database_url_is_one_line_when_a_miss_needs_it(tmp_path: Path) -> None:
    result = memberbot(
        "ask", "what is the capital of australia", tmp_path=tmp_path, DATABASE_URL="nosuchdb://x"
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("configuration error: DATABASE_URL: 'nosuchdb://' is not a database type")
    )


def test_a_miss_typed_with_bytes_that_are_not_utf8_is_stored(tmp_path: Path) -> None:
    # "\udcff" reaches the child as the byte 0xff, which Python reads back as a lone
    # surrogate: stored as it came, it failed the database write with a traceback.
    result = memberbot("ask", "--json", "\udcff qwerty zxcv plugh", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answered"] is False
    stored = memberbot("unanswered", "--json", tmp_path=tmp_path)
    assert [json.loads(line)["question"] for line in stored.stdout.splitlines()] == [
        "\ufffd qwerty zxcv plugh"
    ]
