"""Demographic answers never reach a match reason, the match JSON, a log line, the
default report, or the CLI's output; only a report that names the field shows them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.clock import FixedClock
from bot.log_format import configure_logging
from bot.mentoring.import_csv import ApplicationInput, parse_applications
from bot.mentoring.models import Adult, PrivateAnswers, Role
from bot.mentoring.service import MentoringService
from bot.storage import Database
from tests.core.mentoring_support import mentor

GENDER = "Sentinel-Gender-7731"
RACE = "Sentinel-Race-4412"
SECRETS = (GENDER, RACE)
PRIVATE = PrivateAnswers(
    gender=GENDER,
    race_ethnicity=RACE,
    prefer_same_gender=True,
    prefer_same_race_ethnicity=True,
    bipoc_funding_interest=True,
)
CSV = (
    "name,email,role,member,adult,region,interests,capacity,gender,race_ethnicity,"
    "prefer_same_gender,prefer_same_race_ethnicity\n"
    f"Mo,mo@x.org,mentor,yes,yes,West,storytime,2,{GENDER},{RACE},yes,yes\n"
    f"Ann,ann@x.org,mentee,no,yes,East,outreach,,{GENDER},{RACE},yes,yes\n"
    "Bo,bo@x.org,mentee,no,yes,East,outreach,,,,,\n"
    "Cy,cy@x.org,mentee,no,yes,East,outreach,,,,,\n"
)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _record_text(record: logging.LogRecord) -> str:
    return record.getMessage() + " " + " ".join(f"{k}={v!r}" for k, v in vars(record).items())


def test_reprs_never_show_private_answers() -> None:
    assert _leaks(repr(mentor("mo@x.org", private=PRIVATE))) == []
    assert _leaks(repr(PRIVATE)) == []
    ((_line, application),) = parse_applications(
        CSV.splitlines(keepends=True)[0] + CSV.split("\n")[1]
    )
    assert application.private is not None and application.private.gender == GENDER
    assert _leaks(repr(application)) == []


@pytest.fixture
def debug_logging() -> Iterator[None]:
    """Logging as every entry point sets it up, at its most talkative (DEBUG)."""
    quiet = {name: logging.getLogger(name).level for name in ("alembic", "aiosqlite")}
    configure_logging("DEBUG")
    yield
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


async def test_no_private_answer_in_reasons_json_logs_or_default_report(
    database: Database, caplog: pytest.LogCaptureFixture, debug_logging: None
) -> None:
    caplog.set_level(logging.DEBUG)
    service = MentoringService(database, FixedClock(datetime(2027, 1, 10, tzinfo=UTC)))
    await service.import_applications([a for _l, a in parse_applications(CSV)], "C")
    await service.apply(
        "C",
        ApplicationInput(
            email="dee@x.org",
            name="Dee",
            role=Role.MENTEE,
            is_member=False,
            adult=Adult.YES,
            private=PRIVATE,
        ),
    )
    result = await service.preview("C")
    # the met preferences decided who got mo (all three mentees are otherwise equal)...
    assert {m.mentee.email for m in result.matches} == {"ann@x.org", "dee@x.org"}
    # ...yet no reason, JSON or log line says so
    payload = json.dumps(result.as_json())
    assert _leaks(payload) == []
    assert all("gender" not in r and "race" not in r for m in result.matches for r in m.reasons)
    await service.close_cohort("C")
    await service.confirm("C")
    await service.status("C", "ann@x.org")
    await service.forget_private_answers("C", "dee@x.org")
    report = io.StringIO()
    (await service.report("C")).write_csv(report)
    assert _leaks(report.getvalue()) == []
    assert caplog.records, "the service logs what it does"
    assert [_leaks(_record_text(r)) for r in caplog.records if _leaks(_record_text(r))] == []

    named = io.StringIO()
    (await service.report("C", include=["gender"])).write_csv(named)
    assert _leaks(named.getvalue()) == [GENDER]  # staff asked for it by name


def test_the_cli_output_and_its_logs_hold_no_private_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'memberbot.sqlite3'}")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    applications = tmp_path / "applications.csv"
    applications.write_text(CSV, encoding="utf-8")
    assert cli_main(["mentoring", "import", str(applications), "--cohort", "C"]) == 0
    assert cli_main(["mentoring", "match", "--cohort", "C", "--json"]) == 0
    assert cli_main(["mentoring", "match", "--cohort", "C"]) == 0
    assert cli_main(["mentoring", "report", "--cohort", "C", "--csv"]) == 0
    assert cli_main(["mentoring", "report", "--cohort", "C"]) == 0
    captured = capsys.readouterr()
    assert "mentoring cohort matched" in captured.err  # the log lines are in here
    assert _leaks(captured.out + captured.err) == []
    assert (
        cli_main(
            [
                "mentoring",
                "report",
                "--cohort",
                "C",
                "--csv",
                "--include-demographics",
                "race_ethnicity",
            ]
        )
        == 0
    )
    assert _leaks(capsys.readouterr().out) == [RACE]
