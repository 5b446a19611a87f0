"""The deadlines calendar: valid RFC 5545, checked by parsing it with the icalendar package."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar

from bot.broadcasts.ics import TIMED_DURATION, calendar_bytes
from bot.core import BotCore
from bot.knowledge import Deadline
from bot.knowledge_store import KnowledgeStore
from bot.requests import Request, UserRef
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "DESCRIPTION")


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_calendar_has_the_required_properties(frozen_knowledge: KnowledgeStore) -> None:
    knowledge = frozen_knowledge.knowledge
    data = calendar_bytes(knowledge, now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded per RFC 5545
    calendar = parse(data)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]).startswith("-//memberbot//")
    events = calendar.walk("VEVENT")
    assert len(events) == len(knowledge.deadlines)
    for event in events:
        for name in REQUIRED:
            assert name in event, f"{event.get('UID')} lacks {name}"
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    assert "mentoring-applications-2021@alsc.memberbot" in uids


def test_uids_are_stable_between_exports(frozen_knowledge: KnowledgeStore) -> None:
    knowledge = frozen_knowledge.knowledge
    first = [str(e["UID"]) for e in parse(calendar_bytes(knowledge, now=NOW)).walk("VEVENT")]
    later = datetime(2027, 1, 1, tzinfo=UTC)
    second = [str(e["UID"]) for e in parse(calendar_bytes(knowledge, now=later)).walk("VEVENT")]
    assert first == second


def test_all_day_and_timed_items(frozen_knowledge: KnowledgeStore) -> None:
    knowledge = frozen_knowledge.knowledge.model_copy(
        update={
            "deadlines": [
                Deadline(id="ballots-2027", title="Join to vote", date=date(2027, 1, 31)),
                Deadline(
                    id="webinar-2027",
                    title="Mentoring webinar",
                    date=date(2027, 3, 16),
                    time=time(13, 30),
                    timezone="America/New_York",
                    kind="event",
                ),
            ]
        }
    )
    data = calendar_bytes(knowledge, now=NOW)
    assert b"DTSTART;VALUE=DATE:20270131" in data
    assert b"DTSTART;TZID=America/New_York:20270316T133000" in data
    calendar = parse(data)
    all_day, timed = calendar.walk("VEVENT")
    assert all_day.decoded("DTSTART") == date(2027, 1, 31)
    assert all_day.decoded("DTEND") == date(2027, 2, 1)
    start = timed.decoded("DTSTART")
    assert start.astimezone(UTC) == datetime(2027, 3, 16, 17, 30, tzinfo=UTC)
    # A timed item lasts the documented default hour, never zero minutes.
    assert timed.decoded("DTEND") - start == TIMED_DURATION == timedelta(hours=1)
    assert b"DTEND;TZID=America/New_York:20270316T143000" in data
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]
    assert calendar.get_missing_tzids() == set()


async def test_deadlines_ics_command_attaches_the_calendar(core: BotCore) -> None:
    request = Request(
        platform="console",
        workspace_id="local",
        channel_id="console",
        sender=UserRef("console", "local", "ann", "Ann"),
        command="deadlines",
        text="ics",
    )
    reply = await core.handle(request)
    assert reply is not None
    (attachment,) = reply.attachments
    assert (attachment.filename, attachment.content_type) == ("deadlines.ics", "text/calendar")
    assert len(parse(attachment.data).walk("VEVENT")) == len(core.knowledge.knowledge.deadlines)
    assert "calendar file" in reply.text


async def test_deadlines_without_argument_still_lists(core: BotCore) -> None:
    request = Request(
        platform="console",
        workspace_id="local",
        channel_id="console",
        sender=UserRef("console", "local", "ann", "Ann"),
        command="deadlines",
    )
    reply = await core.handle(request)
    assert reply is not None and reply.attachments == ()
    assert reply.text


def test_cli_writes_the_calendar(tmp_path: Path) -> None:
    output = tmp_path / "out.ics"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "deadlines", "ics", "-o", str(output)],
        capture_output=True,
        cwd=tmp_path,
        env={"KNOWLEDGE_FILE": str(FROZEN_KNOWLEDGE_FILE), "DATA_DIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"deadlines and events to" in result.stderr
    assert parse(output.read_bytes()).walk("VEVENT")


def test_cli_prints_to_stdout_and_reports_a_bad_file(tmp_path: Path) -> None:
    env = {"KNOWLEDGE_FILE": str(FROZEN_KNOWLEDGE_FILE), "DATA_DIR": str(tmp_path)}
    good = subprocess.run(
        [sys.executable, "-m", "bot", "deadlines", "ics"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert good.returncode == 0 and parse(good.stdout).walk("VEVENT")
    broken = tmp_path / "broken.yaml"
    broken.write_text("organisation: [\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "deadlines", "ics", "--knowledge", str(broken)],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and b"broken.yaml" in bad.stderr and not bad.stdout
