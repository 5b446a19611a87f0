"""The mentoring service over real storage (SQLite and PostgreSQL): cohorts,
applications, preview, pins, confirm, and past pairs in the next cohort."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.errors import UserError
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.models import Adult, CohortState, PrivateAnswers, Role
from bot.mentoring.service import MentoringService
from bot.storage import Database


def app(
    email: str,
    role: Role,
    *,
    capacity: int | None = None,
    region: str = "Midwest",
    interests: tuple[str, ...] = ("storytime",),
    private: PrivateAnswers | None = None,
) -> ApplicationInput:
    return ApplicationInput(
        email=email,
        name=email.split("@")[0].title(),
        role=role,
        is_member=True,
        adult=Adult.YES,
        region=region,
        interests=interests,
        capacity=capacity,
        private=private,
    )


@pytest.fixture
def service(database: Database) -> MentoringService:
    return MentoringService(database, FixedClock(datetime(2027, 1, 10, 15, tzinfo=UTC)))


async def test_a_cohort_opens_takes_applications_until_closed(service: MentoringService) -> None:
    summary, created = await service.open_cohort(
        "Spring 2027", closes_on=date(2027, 2, 1), weights={"interests": 2}
    )
    assert created and summary.state is CohortState.OPEN
    assert summary.criteria.interests == 2.0
    assert await service.apply("Spring 2027", app("mo@x.org", Role.MENTOR, capacity=2))
    assert not await service.apply("Spring 2027", app("mo@x.org", Role.MENTOR, capacity=3))
    summary = await service.close_cohort("Spring 2027")
    assert (summary.applicants, summary.mentor_slots) == (1, 3)
    with pytest.raises(UserError, match="not taking applications"):
        await service.apply("Spring 2027", app("ann@x.org", Role.MENTEE))


async def test_applications_after_the_window_are_refused(service: MentoringService) -> None:
    await service.open_cohort("Winter", closes_on=date(2027, 1, 9))
    with pytest.raises(UserError, match="closed on 2027-01-09"):
        await service.apply("Winter", app("ann@x.org", Role.MENTEE))


async def test_the_last_day_lasts_until_midnight_in_the_organisations_zone(
    database: Database,
) -> None:
    # 03:00 UTC on the 10th is still the evening of the 9th in Chicago
    clock = FixedClock(datetime(2027, 1, 10, 3, tzinfo=UTC))
    service = MentoringService(database, clock, zone=ZoneInfo("America/Chicago"))
    await service.open_cohort("Winter", closes_on=date(2027, 1, 9))
    assert await service.apply("Winter", app("ann@x.org", Role.MENTEE))
    utc_service = MentoringService(database, clock)
    with pytest.raises(UserError, match="closed on 2027-01-09"):
        await utc_service.apply("Winter", app("bo@x.org", Role.MENTEE))


async def test_an_unknown_cohort_says_how_to_open_one(service: MentoringService) -> None:
    with pytest.raises(UserError) as raised:
        await service.summary("Nope")
    assert str(raised.value) == "there is no cohort called 'Nope'"
    assert raised.value.hint == "open one with: memberbot mentoring cohort open 'Nope'"


async def test_a_member_sees_and_deletes_their_private_answers(service: MentoringService) -> None:
    await service.open_cohort("C")
    private = PrivateAnswers(gender="woman", prefer_same_gender=True)
    await service.apply("C", app("ann@x.org", Role.MENTEE, private=private))
    assert (await service.my_answers("C", "ANN@x.org")).private == private
    status = await service.status("C", "ann@x.org")
    assert status.has_private_answers and status.application.private is None
    assert await service.forget_private_answers("C", "ann@x.org")
    assert (await service.my_answers("C", "ann@x.org")).private is None
    assert not (await service.status("C", "ann@x.org")).has_private_answers
    assert (await service.my_answers("C", "ann@x.org")).interests == ("storytime",)


async def test_withdraw_only_while_open(service: MentoringService) -> None:
    await service.open_cohort("C")
    await service.apply("C", app("ann@x.org", Role.MENTEE, private=PrivateAnswers(gender="x")))
    await service.apply("C", app("bo@x.org", Role.MENTEE))
    await service.withdraw("C", "ann@x.org")
    assert (await service.summary("C")).applicants == 1
    await service.close_cohort("C")
    with pytest.raises(UserError, match="is closed"):
        await service.withdraw("C", "bo@x.org")


async def test_preview_then_confirm_records_matches_and_past_pairs(
    service: MentoringService,
) -> None:
    await service.open_cohort("2027")
    await service.apply("2027", app("mo@x.org", Role.MENTOR, capacity=1))
    await service.apply("2027", app("ann@x.org", Role.MENTEE))
    preview = await service.preview("2027")
    assert [(m.mentor.email, m.mentee.email) for m in preview.matches] == [
        ("mo@x.org", "ann@x.org")
    ]
    with pytest.raises(UserError, match="close cohort '2027' before confirming"):
        await service.confirm("2027")
    await service.close_cohort("2027")
    assert await service.confirm("2027") == 1
    summary = await service.summary("2027")
    assert (summary.state, summary.confirmed_matches, summary.proposed_matches) == (
        CohortState.MATCHED,
        1,
        0,
    )
    assert (await service.status("2027", "ann@x.org")).matched_with == ("mo@x.org",)
    with pytest.raises(UserError, match="already matched"):
        await service.preview("2027")

    # the next cohort does not pair them again, unless staff allow repeats
    await service.open_cohort("2028")
    await service.apply("2028", app("mo@x.org", Role.MENTOR, capacity=1))
    await service.apply("2028", app("ann@x.org", Role.MENTEE))
    again = await service.preview("2028")
    assert again.matches == ()
    assert "a pair from an earlier cohort" in again.unmatched[0].reason
    await service.open_cohort("2028", allow_repeat_pairs=True)
    assert len((await service.preview("2028")).matches) == 1


async def test_confirm_refuses_a_preview_that_is_out_of_date(service: MentoringService) -> None:
    await service.open_cohort("C")
    await service.apply("C", app("mo@x.org", Role.MENTOR, capacity=2))
    await service.apply("C", app("ann@x.org", Role.MENTEE))
    await service.close_cohort("C")
    with pytest.raises(UserError, match="preview the matches"):
        await service.confirm("C")
    await service.preview("C")
    await service.import_applications([app("bo@x.org", Role.MENTEE)], "C")
    with pytest.raises(UserError, match="changed since the last preview"):
        await service.confirm("C")
    await service.preview("C")
    assert await service.confirm("C") == 2


async def test_pin_and_forbid_check_the_pair(service: MentoringService) -> None:
    await service.open_cohort("C")
    await service.apply("C", app("mo@x.org", Role.MENTOR, capacity=1))
    await service.apply("C", app("lu@x.org", Role.MENTOR, capacity=1))
    await service.apply("C", app("ann@x.org", Role.MENTEE))
    await service.apply("C", app("bo@x.org", Role.MENTEE))
    with pytest.raises(UserError, match="no application"):
        await service.pin("C", "mo@x.org", "zed@x.org")
    with pytest.raises(UserError, match="did not apply as a mentor"):
        await service.pin("C", "ann@x.org", "bo@x.org")
    assert await service.pin("C", "mo@x.org", "ann@x.org")
    with pytest.raises(UserError, match="takes 1 mentee"):
        await service.pin("C", "mo@x.org", "bo@x.org")
    with pytest.raises(UserError, match=r"already pinned to mo@x\.org"):
        await service.pin("C", "lu@x.org", "ann@x.org")
    changed, unpinned = await service.forbid("C", "ann@x.org", "mo@x.org")
    assert changed and unpinned
    with pytest.raises(UserError, match="a staff do-not-match"):
        await service.pin("C", "mo@x.org", "ann@x.org")
    pairs = {(m.mentor.email, m.mentee.email) for m in (await service.preview("C")).matches}
    assert pairs == {("lu@x.org", "ann@x.org"), ("mo@x.org", "bo@x.org")}
    assert (await service.forbid("C", "mo@x.org", "ann@x.org", remove=True)) == (False, False)
    assert (await service.forbid("C", "ann@x.org", "mo@x.org", remove=True)) == (True, False)


async def test_the_default_report_has_no_private_column(service: MentoringService) -> None:
    await service.open_cohort("C")
    private = PrivateAnswers(gender="woman", bipoc_funding_interest=True)
    await service.apply("C", app("mo@x.org", Role.MENTOR, capacity=1, private=private))
    await service.apply("C", app("ann@x.org", Role.MENTEE))
    await service.preview("C")
    report = await service.report("C")
    assert "gender" not in report.columns
    assert all("woman" not in cell for row in report.rows for cell in row)
    named = await service.report("C", include=["bipoc_funding_interest", "gender"])
    assert named.columns[-2:] == ("bipoc_funding_interest", "gender")
    assert named.rows[0][-2:] == ("yes", "woman")
    with pytest.raises(UserError, match="is not a private answer"):
        await service.report("C", include=["email_password"])


async def test_a_chat_member_finds_their_application_by_member_id(
    service: MentoringService, database: Database
) -> None:
    from bot.storage.models import Member

    now = datetime(2027, 1, 10, tzinfo=UTC)
    async with database.session() as session:
        member = Member(
            platform="slack",
            workspace_id="T1",
            user_id="U1",
            display_name="Ann",
            first_seen=now,
            last_seen=now,
        )
        session.add(member)
        await session.flush()
        member_id = member.id
    await service.open_cohort("C")
    private = PrivateAnswers(prefer_same_region=True)
    await service.apply("C", app("ann@x.org", Role.MENTEE, private=private), member_id=member_id)
    assert (await service.status("C", member_id)).application.email == "ann@x.org"
    assert (await service.my_answers("C", member_id)).private == private
    with pytest.raises(UserError, match="you have no application in 'C'"):
        await service.status("C", member_id + 1)
    await service.withdraw("C", member_id)
    assert (await service.summary("C")).applicants == 0
