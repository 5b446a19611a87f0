"""CSV import: every bad row named by its line, and nothing stored unless all are good."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.errors import StorageUnavailable, UserError
from bot.mentoring.import_csv import CsvImportError, parse_applications
from bot.mentoring.models import Adult, Role
from bot.mentoring.service import MentoringService
from bot.storage import Database
from bot.storage.models.mentoring import (
    MentoringApplication,
    MentoringCohort,
    MentoringPrivateAnswers,
)
from bot.storage.repositories.mentoring import MentoringRepository

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mentoring"
HEADER = "name,email,role,member,adult,region,interests,capacity\n"


def _errors(text: str) -> list[str]:
    with pytest.raises(CsvImportError) as raised:
        parse_applications(text)
    return [str(error) for error in raised.value.errors]


def test_every_bad_row_is_reported_with_its_line() -> None:
    assert _errors((FIXTURES / "bad.csv").read_text()) == [
        "line 3: role 'coach' should be mentor, mentee or both",
        "line 4: capacity '5' should be how many mentees this mentor takes: 1 to 3",
        "line 5: email 'noname-at-example.org' is not an e-mail address; name is empty; "
        "member 'maybe' should be yes or no; adult '18' should be yes, no or guardian",
        "line 6: ada@example.org is also on line 2",
        "line 7: prefer_same_gender should be yes or no",
    ]


def test_line_numbers_count_lines_inside_quoted_cells() -> None:
    text = HEADER + 'Ann,ann@x.org,mentee,no,yes,West,"storytime;\noutreach",\n'
    text += "Bo,bo@x.org,mentor,yes,yes,West,storytime,none\n"
    assert _errors(text) == [
        "line 4: capacity 'none' should be how many mentees this mentor takes: 1 to 3"
    ]


def test_a_missing_column_names_the_header() -> None:
    assert _errors("name,email,role\nAnn,ann@x.org,mentee\n") == [
        "line 1: the header lacks the column(s) member, adult, region, interests, capacity"
    ]


def test_errors_never_repeat_a_private_answer() -> None:
    text = HEADER.strip() + ",gender,prefer_same_race_ethnicity\n"
    text += "Ann,ann@x.org,mentee,no,yes,West,storytime,," + "G" * 120 + ",Sentinel-Value\n"
    (error,) = _errors(text)
    assert "Sentinel-Value" not in error and "GGG" not in error
    assert error == (
        "line 2: gender is longer than 100 characters; "
        "prefer_same_race_ethnicity should be yes or no"
    )


def test_good_rows_are_normalised(tmp_path: Path) -> None:
    from bot.mentoring.import_csv import read_csv_file

    text = "Name,E-mail,Role,Member,Adult,Region,Interests,Capacity,Timestamp\n"
    text += "Ann, ANN@X.org ,Mentee,No,Guardian, West , Storytime ; resume  review;,,2027-01-01\n"
    saved = tmp_path / "from-a-spreadsheet.csv"
    saved.write_bytes(text.encode("utf-8-sig"))  # Excel's "CSV UTF-8" starts with a BOM
    ((line, application),) = parse_applications(read_csv_file(saved))
    assert line == 2
    assert application.email == "ann@x.org"
    assert application.role is Role.MENTEE and application.adult is Adult.GUARDIAN
    assert application.interests == ("storytime", "resume review")
    assert application.capacity is None and application.private is None


def test_an_unreadable_file_is_one_friendly_line(tmp_path: Path) -> None:
    from bot.mentoring.import_csv import read_csv_file

    with pytest.raises(UserError, match="there is no file"):
        read_csv_file(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "Zoë,z@x.org,mentee,no,yes,,,\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8 text"):
        read_csv_file(latin)


async def _counts(database: Database) -> tuple[int, int, int]:
    async with database.session() as session:
        return (
            await session.scalar(select(func.count()).select_from(MentoringCohort)) or 0,
            await session.scalar(select(func.count()).select_from(MentoringApplication)) or 0,
            await session.scalar(select(func.count()).select_from(MentoringPrivateAnswers)) or 0,
        )


@pytest.fixture
def service(database: Database) -> MentoringService:
    return MentoringService(database, FixedClock(datetime(2027, 1, 10, tzinfo=UTC)))


async def test_a_file_with_one_bad_row_imports_nothing(
    service: MentoringService, database: Database
) -> None:
    with pytest.raises(CsvImportError):
        await service.import_csv(FIXTURES / "bad.csv", "Spring 2027")
    assert await _counts(database) == (0, 0, 0)  # not even the cohort


async def test_a_good_file_creates_the_cohort_then_updates_on_reimport(
    service: MentoringService, database: Database
) -> None:
    first = await service.import_csv(FIXTURES / "good.csv", "Spring 2027")
    assert (first.created_cohort, first.added, first.updated) == (True, 7, 0)
    assert await _counts(database) == (1, 7, 2)  # ada and dee gave private answers
    again = await service.import_csv(FIXTURES / "good.csv", "Spring 2027")
    assert (again.created_cohort, again.added, again.updated) == (False, 0, 7)
    assert await _counts(database) == (1, 7, 2)


async def test_a_failure_half_way_leaves_nothing_behind(
    service: MentoringService, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database goes away after the third row: the first three are not kept."""
    real_save = MentoringRepository.save_application
    saved = 0

    async def save_then_fail(*args: object, **kwargs: object) -> bool:
        nonlocal saved
        if saved == 3:
            raise StorageUnavailable("database went away")
        saved += 1
        return await real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MentoringRepository, "save_application", save_then_fail)
    with pytest.raises(StorageUnavailable):
        await service.import_csv(FIXTURES / "good.csv", "Spring 2027")
    assert saved == 3
    assert await _counts(database) == (0, 0, 0)


async def test_importing_into_a_matched_cohort_is_refused(
    service: MentoringService, database: Database
) -> None:
    await service.import_csv(FIXTURES / "good.csv", "C")
    await service.close_cohort("C")
    await service.preview("C")
    await service.confirm("C")
    with pytest.raises(UserError, match="already matched"):
        await service.import_csv(FIXTURES / "good.csv", "C")
    assert await _counts(database) == (1, 7, 2)


def test_past_pairs_rows_are_checked_by_line() -> None:
    from bot.mentoring.import_csv import parse_past_pairs

    text = "Mentor,Mentee,Cohort\nada@x.org,dee@x.org,2019\nada@x.org,ada@x.org,2019\n"
    text += "ada@x.org,not-an-email,\n"
    with pytest.raises(CsvImportError) as raised:
        parse_past_pairs(text)
    assert [str(error) for error in raised.value.errors] == [
        "line 3: mentor and mentee are the same person",
        "line 4: mentee 'not-an-email' is not an e-mail address; "
        "cohort should name the round they met in (at most 120 characters)",
    ]


async def test_imported_past_pairs_are_not_matched_again(service: MentoringService) -> None:
    assert await service.import_past_pairs(FIXTURES / "past_pairs.csv") == (2, 0)
    assert await service.import_past_pairs(FIXTURES / "past_pairs.csv") == (0, 2)
    await service.import_csv(FIXTURES / "good.csv", "Spring 2027")
    pairs = {
        (m.mentor.email, m.mentee.email) for m in (await service.preview("Spring 2027")).matches
    }
    assert pairs.isdisjoint(
        {("ada@example.org", "dee@example.org"), ("ben@example.org", "eve@example.org")}
    )
    assert len(pairs) == 3  # dee and eve still get a mentor: the other one


def test_mentors_may_leave_adult_blank_and_mentees_member() -> None:
    text = HEADER + "Mo,mo@x.org,mentor,yes,,West,storytime,2\nAnn,ann@x.org,mentee,,yes,,,\n"
    text += "Cy,cy@x.org,both,yes,,West,storytime,1\nDi,di@x.org,mentor,,yes,West,storytime,1\n"
    assert _errors(text) == [
        "line 4: adult '' should be yes, no or guardian",
        "line 5: member '' should be yes or no",
    ]
    parsed = parse_applications(text.rsplit("Cy,", 1)[0])
    assert [(a.is_member, a.adult) for _line, a in parsed] == [
        (True, Adult.YES),
        (False, Adult.YES),
    ]
