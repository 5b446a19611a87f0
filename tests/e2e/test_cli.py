"""The memberbot CLI run as a subprocess, as staff would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE

ROOT = Path(__file__).resolve().parents[2]


def cli_environment(tmp_path: Path, **env: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "DATA_DIR": str(tmp_path / "var"),
        "KNOWLEDGE_FILE": str(FROZEN_KNOWLEDGE_FILE),
        **env,
    }


def memberbot(*args: str, tmp_path: Path, stdin: str | None = None, **env: str):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_environment(tmp_path, **env),
        cwd=tmp_path,
        timeout=60,
    )


def test_ask_json(tmp_path: Path) -> None:
    result = memberbot(
        "ask",
        "--json",
        "--today",
        "2021-10-01",
        "How long does the mentoring program last?",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["question"] == "How long does the mentoring program last?"
    assert record["answered"] is True
    assert "one year" in record["answer"].lower()
    assert record["sources"] and isinstance(record["score"], float)


def test_ask_reads_questions_from_stdin_in_order_and_stores_misses(tmp_path: Path) -> None:
    questions = (
        "What is Día?\n\nWhat is the capital of Australia?\nwhat is the capital of australia\n"
    )
    result = memberbot("ask", "--json", "-", tmp_path=tmp_path, stdin=questions)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in records] == [
        "What is Día?",
        "What is the capital of Australia?",
        "what is the capital of australia",
    ]
    assert [r["answered"] for r in records] == [True, False, False]
    unanswered = memberbot("unanswered", "--json", tmp_path=tmp_path)
    assert unanswered.returncode == 0, unanswered.stderr
    rows = [json.loads(line) for line in unanswered.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["count"] == 2


def test_check_good_and_broken_files(tmp_path: Path) -> None:
    assert memberbot("check", tmp_path=tmp_path).returncode == 0
    broken = tmp_path / "knowledge.yaml"
    broken.write_text(FROZEN_KNOWLEDGE_FILE.read_text(encoding="utf-8") + "\n  - : [\n")
    result = memberbot("check", str(broken), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{broken}:")
    assert "Traceback" not in result.stderr


def test_knowledge_export_has_every_entry(tmp_path: Path) -> None:
    result = memberbot("knowledge", "export", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(entries) >= 20
    assert all(entry["id"] and entry["text"] for entry in entries)
    assert len({entry["id"] for entry in entries}) == len(entries)


def test_broken_knowledge_file_at_start_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries: [\n", encoding="utf-8")
    result = memberbot("ask", "hello", tmp_path=tmp_path, KNOWLEDGE_FILE=str(bad))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(bad) in result.stderr


def test_console_subprocess(tmp_path: Path) -> None:
    result = memberbot("console", "--as", "bob", tmp_path=tmp_path, stdin="/help\nWhat is NDORH?\n")
    assert result.returncode == 0, result.stderr
    assert "racial healing" in result.stdout.lower()
    assert " INFO " not in result.stderr  # the chat is not interrupted by log lines


def read_until(stream: IO[str], marker: str) -> str:
    """Lines from ``stream`` up to and including the first one holding ``marker``."""
    seen: list[str] = []
    while True:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never appeared in:\n{''.join(seen)}")


def test_console_delivers_broadcasts_and_saves_calendar_files(tmp_path: Path) -> None:
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--as", "sam", "--staff"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=cli_environment(tmp_path),
        cwd=tmp_path,
    )
    assert chat.stdin is not None and chat.stdout is not None
    # A hung chat is killed, which ends its output, so read_until cannot block forever.
    watchdog = threading.Timer(90, chat.kill)
    watchdog.start()
    try:
        chat.stdin.write("/broadcast announcements Book club meets Friday\n")
        chat.stdin.flush()
        read_until(chat.stdout, "/broadcast confirm 1")
        chat.stdin.write("/broadcast confirm 1\n")
        chat.stdin.flush()
        # The background dispatcher posts it while the chat goes on.
        posted = read_until(chat.stdout, "[posted in #announcements]")
        assert "Book club meets Friday" in posted.splitlines()[-1]
        chat.stdin.write("/deadlines ics\n")
        chat.stdin.flush()
        saved = read_until(chat.stdout, "[file saved:")
        path = Path(saved.splitlines()[-1].removeprefix("[file saved: ").removesuffix("]"))
        assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
        chat.stdin.close()
        assert chat.wait(timeout=60) == 0
    finally:
        watchdog.cancel()
        chat.kill()


@pytest.mark.parametrize("db_url", ["sqlite:///{tmp}/x.sqlite3"])
def test_db_upgrade(tmp_path: Path, db_url: str) -> None:
    result = memberbot("db", "upgrade", tmp_path=tmp_path, DATABASE_URL=db_url.format(tmp=tmp_path))
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_an_empty_question_or_name_is_a_usage_error(tmp_path: Path) -> None:
    empty_question = memberbot("ask", "  ", tmp_path=tmp_path)
    assert empty_question.returncode == 2
    assert empty_question.stderr.strip().splitlines() == [
        "usage: memberbot ask QUESTION (the question is empty)"
    ]
    empty_name = memberbot("console", "--as", "", tmp_path=tmp_path, stdin="")
    assert empty_name.returncode == 2
    assert "is not a name" in empty_name.stderr and "Traceback" not in empty_name.stderr


FIXTURES = ROOT / "tests" / "core" / "fixtures"


def test_check_all_lists_every_problem_and_formatting_is_its_own_exit_code(
    tmp_path: Path,
) -> None:
    good = (FIXTURES / "good.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        good.replace('url: "https://example.org/park"', 'url: "example.org"').replace(
            "kind: event", "kind: party"
        )
    )
    first = memberbot("check", str(broken), tmp_path=tmp_path)
    every = memberbot("check", "--all", str(broken), tmp_path=tmp_path)
    assert first.returncode == every.returncode == 2
    assert "... and 1 more (memberbot check --all lists every problem)" in first.stderr
    problems = [line for line in every.stderr.splitlines() if line.startswith(f"{broken}:")]
    assert len(problems) == 3  # two problems and the summary line
    assert "'party' is not allowed; use deadline or event" in every.stderr
    assert "Input should" not in every.stderr

    styled = tmp_path / "styled.yaml"
    styled.write_text(good.replace("The picnic is in the park.", "The *picnic* is <b>here</b>."))
    result = memberbot("check", "--all", str(styled), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "entry 'picnic': field 'answer': *picnic* is not supported" in result.stderr
    assert "raw HTML <b>" in result.stderr and "raw HTML </b>" in result.stderr
    assert "but 3 formatting problems would show to members as typed" in result.stderr


def test_single_format_exports_need_no_format_flag(tmp_path: Path) -> None:
    export = memberbot("knowledge", "export", tmp_path=tmp_path)
    assert export.returncode == 0, export.stderr
    assert json.loads(export.stdout.splitlines()[0])["id"]
    kudos = memberbot("kudos", "export", tmp_path=tmp_path)
    assert kudos.returncode == 0, kudos.stderr
    assert kudos.stdout.startswith("date,giver,giver_id,recipients")
    assert memberbot("kudos", "export", "--csv", tmp_path=tmp_path).stdout == kudos.stdout


def test_deadlines_alone_lists_what_is_ahead(tmp_path: Path) -> None:
    result = memberbot("deadlines", "--today", "2021-10-01", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Upcoming deadlines and events (today is Friday, October 1, 2021, America/Chicago):"
    )
    assert "[mentoring-applications-2021]" in lines[1]
    assert "Thu, Jan 27, 2022 5:00 PM CST" in result.stdout  # the time as members read it
    # The sample data is from 2020-2022: today nothing is ahead, and it says how to see more.
    now = memberbot("deadlines", tmp_path=tmp_path)
    assert now.returncode == 0, now.stderr
    assert "Use --all to list every one" in now.stdout
    every = memberbot("deadlines", "--all", tmp_path=tmp_path)
    assert "(passed)" in every.stdout and "[mentoring-applications-2021]" in every.stdout


def _ask_misses(tmp_path: Path, knowledge: Path, *questions: str) -> None:
    stdin = "\n".join(questions) + "\n"
    result = memberbot(
        "ask", "--json", "-", tmp_path=tmp_path, stdin=stdin, KNOWLEDGE_FILE=str(knowledge)
    )
    assert result.returncode == 0, result.stderr
    assert not any(json.loads(line)["answered"] for line in result.stdout.splitlines())


def _waiting(tmp_path: Path, knowledge: Path) -> dict[str, dict]:
    result = memberbot("unanswered", "--json", tmp_path=tmp_path, KNOWLEDGE_FILE=str(knowledge))
    assert result.returncode == 0, result.stderr
    return {row["question"]: row for row in map(json.loads, result.stdout.splitlines())}


def test_unanswered_answer_teach_and_dismiss(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge.yaml"
    knowledge.write_bytes(FROZEN_KNOWLEDGE_FILE.read_bytes())  # facts the test relies on
    original = knowledge.read_text(encoding="utf-8")
    env = {"KNOWLEDGE_FILE": str(knowledge)}
    _ask_misses(
        tmp_path,
        knowledge,
        "Who runs the Instagram account?",
        "Where can I park at the conference?",
        "What is the capital of Australia?",
    )
    waiting = _waiting(tmp_path, knowledge)
    assert {row["status"] for row in waiting.values()} == {"open"}

    instagram = waiting["Who runs the Instagram account?"]["id"]
    claimed = memberbot(
        "unanswered", "claim", str(instagram), "--as", "Ann", tmp_path=tmp_path, **env
    )
    assert claimed.returncode == 0, claimed.stderr
    listing = memberbot("unanswered", tmp_path=tmp_path, **env)
    assert "claimed by Ann" in listing.stdout
    taken = memberbot(
        "unanswered",
        "answer",
        str(instagram),
        "--text",
        "Elly.",
        "--as",
        "Bob",
        tmp_path=tmp_path,
        **env,
    )
    assert taken.returncode == 2
    assert taken.stderr.strip() == f"Question {instagram} is taken by Ann."

    taught = memberbot(
        "unanswered",
        "answer",
        str(instagram),
        "--text",
        "Elly runs the **Instagram** account.",
        "--teach-to",
        "social-media",
        "--as",
        "Ann",
        tmp_path=tmp_path,
        **env,
    )
    assert taught.returncode == 0, taught.stderr
    assert "added the question 'Who runs the Instagram account?'" in taught.stdout

    parking = waiting["Where can I park at the conference?"]["id"]
    refused = memberbot(
        "unanswered",
        "answer",
        str(parking),
        "--text",
        "Lot B.",
        "--new-entry",
        "--title",
        "Parking",
        "--contact",
        "nobody",
        "--as",
        "Ann",
        tmp_path=tmp_path,
        **env,
    )
    assert refused.returncode == 2
    assert "contact 'nobody' is not a contact id" in refused.stderr
    assert "Traceback" not in refused.stderr
    new_entry = memberbot(
        "unanswered",
        "answer",
        str(parking),
        "--text",
        "Park in **lot B**.",
        "--new-entry",
        "--title",
        "Parking at the conference",
        "--question",
        "Is there parking at the venue?",
        "--link",
        "Venue map=https://example.org/map",
        "--as",
        "Ann",
        tmp_path=tmp_path,
        **env,
    )
    assert new_entry.returncode == 0, new_entry.stderr

    capital = waiting["What is the capital of Australia?"]["id"]
    dismissed = memberbot(
        "unanswered", "dismiss", str(capital), "--as", "Ann", tmp_path=tmp_path, **env
    )
    assert dismissed.returncode == 0, dismissed.stderr
    assert _waiting(tmp_path, knowledge) == {}
    assert (
        "No unanswered questions waiting."
        in memberbot("unanswered", tmp_path=tmp_path, **env).stdout
    )

    # the file gained lines only, passes memberbot check, and the bot now answers both
    new_text = knowledge.read_text(encoding="utf-8")
    assert all(line in new_text.splitlines() for line in original.splitlines())
    assert memberbot("check", str(knowledge), tmp_path=tmp_path).returncode == 0
    asked = memberbot(
        "ask",
        "--json",
        "-",
        tmp_path=tmp_path,
        stdin="Who runs the Instagram account?\nconference parking?\n",
        **env,
    )
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert [row["answered"] for row in answers] == [True, True]
    assert "lot B" in answers[1]["answer"]
    history = list((tmp_path / "var" / "knowledge-history").glob("knowledge-*.yaml"))
    assert len(history) == 2


def test_knowledge_add_question_adds_one_line_and_refuses_a_repeat(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge.yaml"
    knowledge.write_bytes(FROZEN_KNOWLEDGE_FILE.read_bytes())  # facts the test relies on
    original = knowledge.read_text(encoding="utf-8")
    env = {"KNOWLEDGE_FILE": str(knowledge)}
    args = ("knowledge", "add-question", "social-media", "Who runs the Instagram account?")
    added = memberbot(*args, "--as", "Dana", tmp_path=tmp_path, **env)
    assert added.returncode == 0, added.stderr
    new = knowledge.read_text(encoding="utf-8")
    assert len(new.splitlines()) == len(original.splitlines()) + 1
    assert "      - Who runs the Instagram account?\n" in new
    again = memberbot(*args, "--as", "Dana", tmp_path=tmp_path, **env)
    assert again.returncode == 2
    assert "already lists the question" in again.stderr
    assert knowledge.read_text(encoding="utf-8") == new
