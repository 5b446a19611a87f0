"""Staff reports on a cohort's year (SQLite and PostgreSQL): meeting rates from the
monthly check-ins and the end-of-year feedback, as tables and CSV, with private
answers only in the columns staff name, and never in a log line."""

from __future__ import annotations

import argparse
import csv
import io
import logging
from contextlib import redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main as cli_main
from bot.cli.mentoring_year import print_year_report
from bot.clock import FixedClock
from bot.errors import UserError
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.models import DEMOGRAPHIC_FIELDS, Adult, PrivateAnswers, Role
from bot.mentoring.pairs import CHECKIN, FEEDBACK, LEFT
from bot.mentoring.service import MentoringService
from bot.mentoring.year_report import (
    CHECKIN_COLUMNS,
    FEEDBACK_COLUMNS,
    checkin_report,
    feedback_report,
)
from bot.storage import Database
from bot.storage.models.mentoring import MentoringApplication, MentoringMatch
from bot.storage.models.mentoring_pairs import MentoringPairMessage, MentoringParticipation
from tests.core.mentoring_chat_support import debug_logging, logged

COHORT = "Spring 2027"
__all__ = ["debug_logging"]  # fixture
KNOWLEDGE = Path(__file__).resolve().parent / "fixtures" / "good.yaml"
SENT = datetime(2027, 1, 5, 15, tzinfo=UTC)
CY_PRIVATE = PrivateAnswers(
    gender="nonbinary", race_ethnicity="Pacific Islander", prefer_same_gender=True
)
PRIVATE_VALUES = ("nonbinary", "Pacific Islander")
#: (mentor, mentee) -> {month: (mentor's answer, mentee's answer)}; None: no answer
HISTORY: dict[tuple[str, str], dict[str, tuple[str | None, str | None]]] = {
    ("ann", "bo"): {
        "2027-01": ("met", "met"),
        "2027-02": ("met", None),
        "2027-03": (None, "met"),
    },
    ("cat", "cy"): {
        "2027-01": ("not_yet", None),
        "2027-02": ("need_help", "met"),  # they met: the month counts as met
        "2027-03": ("need_help", "not_yet"),
    },
    ("dee", "ed"): {"2027-01": (None, None), "2027-02": (None, None)},
}


def person(name: str, role: Role, private: PrivateAnswers | None = None) -> ApplicationInput:
    return ApplicationInput(
        email=f"{name}@x.org",
        name=name.title(),
        role=role,
        is_member=True,
        adult=Adult.YES,
        region="Midwest",
        interests=("storytime",),
        capacity=1 if role is Role.MENTOR else None,
        private=private,
    )


async def _ids(database: Database) -> dict[str, int]:
    async with database.session() as session:
        rows = await session.scalars(select(MentoringApplication))
        return {row.name.lower(): row.id for row in rows}


async def _match_ids(database: Database) -> dict[tuple[int, int], int]:
    async with database.session() as session:
        rows = await session.scalars(
            select(MentoringMatch).where(MentoringMatch.status == "confirmed")
        )
        return {(m.mentor_application_id, m.mentee_application_id): m.id for m in rows}


@pytest.fixture
async def history(database: Database) -> Database:
    """Three confirmed pairs with the check-ins of :data:`HISTORY`, Ed has left, and
    the feedback forms of Ann, Bo and Cy (answered) and Cat (not answered)."""
    service = MentoringService(database, FixedClock(datetime(2026, 12, 1, tzinfo=UTC)))
    applications = [
        person("ann", Role.MENTOR),
        person("cat", Role.MENTOR),
        person("dee", Role.MENTOR),
        person("bo", Role.MENTEE),
        person("cy", Role.MENTEE, CY_PRIVATE),
        person("ed", Role.MENTEE),
    ]
    await service.import_applications(applications, COHORT)
    for mentor, mentee in HISTORY:
        await service.pin(COHORT, f"{mentor}@x.org", f"{mentee}@x.org")
    await service.close_cohort(COHORT)
    await service.preview(COHORT)
    assert await service.confirm(COHORT) == 3
    ids, matches = await _ids(database), await _match_ids(database)
    async with database.session() as session:
        for (mentor, mentee), months in HISTORY.items():
            match_id = matches[(ids[mentor], ids[mentee])]
            for period, answers in months.items():
                for who, answer in zip((mentor, mentee), answers, strict=True):
                    session.add(_message(match_id, ids[who], CHECKIN, period, answer))
        cat_cy = matches[(ids["cat"], ids["cy"])]
        # claimed but never sent: not a month asked
        session.add(
            MentoringPairMessage(
                match_id=cat_cy,
                application_id=ids["cat"],
                kind=CHECKIN,
                period="2027-04",
                claimed_at=SENT,
            )
        )
        ann_bo = matches[(ids["ann"], ids["bo"])]
        session.add(_message(ann_bo, ids["ann"], FEEDBACK, "", "great", "=Bo was wonderful"))
        session.add(_message(ann_bo, ids["bo"], FEEDBACK, "", "good", "Loved it,\nthanks"))
        session.add(_message(cat_cy, ids["cat"], FEEDBACK, "", None))
        session.add(_message(cat_cy, ids["cy"], FEEDBACK, "", "okay", "More structure"))
        session.add(MentoringParticipation(application_id=ids["ed"], state=LEFT, changed_at=SENT))
    return database


def _message(
    match_id: int,
    application_id: int,
    kind: str,
    period: str,
    answer: str | None,
    comment: str | None = None,
) -> MentoringPairMessage:
    return MentoringPairMessage(
        match_id=match_id,
        application_id=application_id,
        kind=kind,
        period=period,
        claimed_at=SENT,
        sent_at=SENT,
        answer=answer,
        comment=comment,
        answered_at=datetime(2027, 3, 9, tzinfo=UTC) if answer else None,
    )


async def test_meeting_rates_and_totals_on_a_hand_built_history(history: Database) -> None:
    report = await checkin_report(history, COHORT)
    pairs = {pair.mentee_email: pair for pair in report.pairs}
    ann_bo, cat_cy, dee_ed = pairs["bo@x.org"], pairs["cy@x.org"], pairs["ed@x.org"]
    assert (ann_bo.mentor_name, ann_bo.mentor_email) == ("Ann", "ann@x.org")
    assert (ann_bo.months_asked, ann_bo.counts["met"], ann_bo.meeting_rate) == (3, 3, 1.0)
    assert (ann_bo.last_answer, ann_bo.last_answer_month) == ("met", "2027-03")
    assert cat_cy.months_asked == 3  # April was never sent
    assert cat_cy.counts == {"met": 1, "not_yet": 1, "need_help": 1, "no_answer": 0}
    assert cat_cy.meeting_rate == pytest.approx(1 / 3)
    assert (cat_cy.last_answer, cat_cy.last_answer_month) == ("need_help", "2027-03")
    assert dee_ed.counts == {"met": 0, "not_yet": 0, "need_help": 0, "no_answer": 2}
    assert (dee_ed.meeting_rate, dee_ed.last_answer, dee_ed.taking_part) == (0, "", "mentee left")
    totals = report.totals
    assert (totals.matches, totals.meeting_monthly, totals.need_help) == (3, 1, 1)
    assert (totals.paused, totals.left) == (0, 1)
    assert (totals.months_met, totals.months_asked) == (4, 8)
    assert [p.mentee_email for p in report.attention()] == ["cy@x.org", "ed@x.org"]


async def test_feedback_is_listed_per_person_as_given(history: Database) -> None:
    report = await feedback_report(history, COHORT)
    rows = {row[1]: dict(zip(report.columns, row, strict=True)) for row in report.rows}
    assert set(rows) == {"ann@x.org", "bo@x.org", "cat@x.org", "cy@x.org"}
    assert rows["bo@x.org"]["comment"] == "Loved it,\nthanks"
    assert rows["bo@x.org"]["matched_with"] == "Ann <ann@x.org>"
    assert (rows["ann@x.org"]["role"], rows["ann@x.org"]["rating"]) == ("mentor", "great")
    assert (rows["cat@x.org"]["rating"], rows["cat@x.org"]["answered_on"]) == ("", "")
    assert (report.asked, report.ratings) == (4, {"great": 1, "good": 1, "okay": 1})


async def test_csv_columns_and_cells(history: Database) -> None:
    out = io.StringIO()
    (await checkin_report(history, COHORT)).write_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CHECKIN_COLUMNS
    cat_cy = next(row for row in rows if row["mentee_email"] == "cy@x.org")
    assert (cat_cy["months_asked"], cat_cy["met"], cat_cy["meeting_rate"]) == ("3", "1", "0.33")
    assert cat_cy["need_help"] == cat_cy["not_yet"] == "1"
    out = io.StringIO()
    (await feedback_report(history, COHORT)).write_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == FEEDBACK_COLUMNS
    comments = {row["email"]: row["comment"] for row in rows}
    assert comments["bo@x.org"] == "Loved it,\nthanks"  # quoted, not split
    assert comments["ann@x.org"] == "'=Bo was wonderful"  # not run as a formula


async def _cli(database: Database, *flags: str, include: tuple[str, ...] = ()) -> str:
    args = argparse.Namespace(
        cohort=COHORT,
        checkins="--checkins" in flags,
        feedback="--feedback" in flags,
        csv="--csv" in flags,
        include_demographics=list(include),
    )
    out = io.StringIO()
    with redirect_stdout(out):
        assert await print_year_report(database, args) == 0
    return out.getvalue()


@pytest.mark.parametrize("kind", ["--checkins", "--feedback"])
async def test_private_answers_only_in_the_columns_staff_name(history: Database, kind: str) -> None:
    for output in (await _cli(history, kind), await _cli(history, kind, "--csv")):
        assert not any(value in output for value in PRIVATE_VALUES), output
        assert not any(field in output for field in DEMOGRAPHIC_FIELDS)
    table = await _cli(history, kind, "--csv", include=("gender",))
    header, *rows = list(csv.reader(io.StringIO(table)))
    named = ["mentor_gender", "mentee_gender"] if kind == "--checkins" else ["gender"]
    assert header[-len(named) :] == named
    assert "nonbinary" in table and "Pacific Islander" not in table
    if kind == "--checkins":
        cy = next(row for row in rows if row[3] == "cy@x.org")
        assert cy[-2:] == ["", "nonbinary"]  # the mentor gave none, the mentee did
    else:
        cy = next(row for row in rows if row[1] == "cy@x.org")
        assert cy[-1] == "nonbinary"
    text = await _cli(history, kind, include=("gender",))
    assert "Pacific Islander" not in text
    assert "gender nonbinary" in text


async def test_a_field_that_is_not_a_private_answer_is_refused(history: Database) -> None:
    with pytest.raises(UserError, match="'goals' is not a private answer"):
        await checkin_report(history, COHORT, include=("goals",))
    with pytest.raises(UserError, match="no cohort called"):
        await feedback_report(history, "Autumn")


async def test_no_private_answer_in_any_log_line(
    history: Database, caplog: pytest.LogCaptureFixture, debug_logging: None
) -> None:
    caplog.set_level(logging.DEBUG)
    every = tuple(DEMOGRAPHIC_FIELDS[:2])
    await checkin_report(history, COHORT, include=every)
    await feedback_report(history, COHORT, include=every)
    await _cli(history, "--checkins", include=every)
    lines = logged(caplog.records)
    assert "mentoring check-in report" in lines  # the reports do log, without values
    assert not any(value in lines for value in PRIVATE_VALUES), lines


async def test_the_text_tables_read_as_staff_expect(history: Database) -> None:
    checkins = await _cli(history, "--checkins")
    assert checkins.splitlines()[0] == (
        "Check-ins for 'Spring 2027': 3 matches, 1 meeting every month, 1 asked for help, "
        "0 paused, 1 left; months met 4 of 8 asked (50%)"
    )
    assert "  Cat <cat@x.org> -> Cy <cy@x.org>: 3, 1 / 1 / 1 / 0, 33%, last need_help 2027-03" in (
        checkins
    )
    assert "Ed <ed@x.org>: 2, 0 / 0 / 0 / 2, 0%, last none [mentee left]" in checkins
    feedback = await _cli(history, "--feedback")
    assert "Feedback for 'Spring 2027': 3 of 4 answered (ratings: good 1, great 1, okay 1)" in (
        feedback
    )
    assert "  Bo <bo@x.org> (mentee, with Ann <ann@x.org>): good on 2027-03-09\n" in feedback
    assert "      Loved it,\n      thanks\n" in feedback
    assert "  Cat <cat@x.org> (mentor, with Cy <cy@x.org>): no answer\n" in feedback


def test_the_command_line_takes_checkins_or_feedback_not_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'memberbot.sqlite3'}")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("KNOWLEDGE_FILE", str(KNOWLEDGE))
    assert cli_main(["mentoring", "cohort", "open", COHORT, "--closes", "2999-01-01"]) == 0
    capsys.readouterr()
    assert cli_main(["mentoring", "report", "--cohort", COHORT, "--checkins", "--csv"]) == 0
    assert capsys.readouterr().out == ",".join(CHECKIN_COLUMNS) + "\n"
    assert cli_main(["mentoring", "report", "--cohort", COHORT, "--feedback"]) == 0
    assert "Feedback for 'Spring 2027': 0 of 0 answered (ratings: none)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli_main(["mentoring", "report", "--cohort", COHORT, "--checkins", "--feedback"])
    assert "not allowed with argument" in capsys.readouterr().err
    assert cli_main(["mentoring", "report", "--cohort", "Autumn", "--checkins"]) == 1
    assert "no cohort called 'Autumn'" in capsys.readouterr().err
