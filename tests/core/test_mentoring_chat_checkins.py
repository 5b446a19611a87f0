"""A confirmed pair's year (SQLite and PostgreSQL): monthly check-ins sent once per
person per month, their buttons recorded once and only for their member, staff told of
"Need help" and of two check-ins in a row unanswered, pause/resume/leave, the
end-of-year feedback form, and staff's rematch of one person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import FixedClock
from bot.core import BotCore
from bot.mentoring.checkins import MentoringCheckins
from bot.storage.models.mentoring_pairs import MentoringPairMessage
from tests.core.mentoring_chat_support import (
    ALICE,
    BOB,
    CAROL,
    STAFF,
    apply_by_form,
    bot,
    button,
    confirmed_pair,
    matched_pair,
    press,
    say,
    sender,
    staff_says,
    submit,
)
from tests.support.recording import RecordingSender

__all__ = ["bot", "sender"]  # fixtures


def checkins(bot: BotCore) -> MentoringCheckins:
    """The background service as the runner builds it (a second instance is a second
    process sharing the database)."""
    return MentoringCheckins(bot.services.mentoring.pairs)


def month(clock: FixedClock, year: int, number: int) -> None:
    clock.set(datetime(year, number, 5, 15, 0, tzinfo=UTC))


def asked(sender: RecordingSender, user_id: str) -> list[str]:
    """Check-in DMs one member got."""
    return [
        m.plain_text()
        for u, m in sender.dms
        if u.user_id == user_id and "check-in" in m.plain_text()
    ]


def staff_posts(sender: RecordingSender) -> list[str]:
    return [m.plain_text() for channel, m in sender.posts if channel == "#staff"]


def last_buttons(sender: RecordingSender, user_id: str) -> dict[str, str]:
    sent = zip(reversed(sender.dms), reversed(sender.dm_actions), strict=True)
    for (user, _message), actions in sent:
        if user.user_id == user_id and actions:
            return {a.label: a.ref.encode() for a in actions}  # type: ignore[union-attr]
    raise AssertionError(f"no buttons sent to {user_id}")


async def test_each_person_is_asked_once_a_month_from_the_month_after_confirming(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    assert (await checkins(bot).run_pass()).sent == 0  # the month of the introduction
    month(clock, 2026, 12)
    assert (await checkins(bot).run_pass()).sent == 2
    assert (await checkins(bot).run_pass()).sent == 0  # the same month again
    assert (await checkins(bot).run_pass()).sent == 0  # another process
    assert len(asked(sender, "U1")) == len(asked(sender, "U2")) == 1
    assert "did you and bob meet this month?" in asked(sender, "U1")[0]
    assert set(last_buttons(sender, "U1")) == {"Met", "Not yet", "Need help"}
    month(clock, 2027, 1)
    assert (await checkins(bot).run_pass()).sent == 2
    assert len(asked(sender, "U2")) == 2


async def test_check_in_buttons_count_once_and_only_for_their_member(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    month(clock, 2026, 12)
    await checkins(bot).run_pass()
    alices = last_buttons(sender, "U1")
    refused = await press(bot, alices["Met"], user=BOB)
    assert "someone else's" in refused.text
    assert "Recorded: Met" in (await press(bot, alices["Met"], user=ALICE)).text
    assert "already answered" in (await press(bot, alices["Not yet"], user=ALICE)).text
    async with bot.database.session() as session:
        answers = (
            await session.scalars(
                select(MentoringPairMessage.answer).where(MentoringPairMessage.kind == "checkin")
            )
        ).all()
    assert sorted(a or "-" for a in answers) == ["-", "met"]


async def test_need_help_alerts_staff_once(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    month(clock, 2026, 12)
    await checkins(bot).run_pass()
    help_button = last_buttons(sender, "U2")["Need help"]
    told = await press(bot, help_button, user=BOB)
    assert "staff will be in touch" in told.text
    await press(bot, help_button, user=BOB, delivery="second-click")
    (alert,) = staff_posts(sender)
    assert "bob (bob@example.org) asked for help" in alert and "alice" in alert


async def test_two_check_ins_in_a_row_unanswered_alert_staff_once_per_run(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    month(clock, 2026, 12)
    await checkins(bot).run_pass()
    await press(bot, last_buttons(sender, "U1")["Met"], user=ALICE)  # Alice answers December
    month(clock, 2027, 1)
    await checkins(bot).run_pass()  # nobody answers January
    assert staff_posts(sender) == []
    month(clock, 2027, 2)
    await checkins(bot).run_pass()
    (bob_missed,) = staff_posts(sender)
    assert "bob (bob@example.org) has not answered the last two" in bob_missed
    month(clock, 2027, 3)
    await checkins(bot).run_pass()  # Bob's run goes on: no second alert; Alice's starts
    assert len(staff_posts(sender)) == 2
    assert "alice (alice@example.org) has not answered" in staff_posts(sender)[1]


async def test_pause_resume_and_leave_stop_and_restart_check_ins(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    assert "paused" in (await say(bot, "pause", user=ALICE)).text
    month(clock, 2026, 12)
    assert (await checkins(bot).run_pass()).sent == 1
    assert asked(sender, "U1") == []
    await say(bot, "resume", user=ALICE)
    month(clock, 2027, 1)
    assert (await checkins(bot).run_pass()).sent == 2
    assert "Staff were told" in (await say(bot, "leave", user=BOB)).text
    assert "bob left the program" in staff_posts(sender)[0]
    month(clock, 2027, 2)
    assert (await checkins(bot).run_pass()).sent == 0
    assert "no confirmed mentoring match" in (await say(bot, "pause", user=CAROL)).text


async def test_the_end_of_year_feedback_form_is_sent_once_and_answered_once(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    clock.set(datetime(2027, 11, 25, 15, 0, tzinfo=UTC))
    assert (await checkins(bot).run_pass()).sent == 2
    assert (await checkins(bot).run_pass()).sent == 0
    give = last_buttons(sender, "U2")["Give feedback"]
    assert "someone else's" in (await press(bot, give, user=ALICE)).text
    opened = await press(bot, give, user=BOB)
    assert opened.form is not None
    thanks = await submit(bot, opened.form, {"rating": "great", "comment": "Lovely"}, user=BOB)
    assert "Thank you for your feedback" in thanks.text
    assert "already sent" in (await press(bot, give, user=BOB)).text


async def test_staff_rematch_one_person_with_a_mentor_who_has_room(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await staff_says(bot, "open Spring 2027")
    await apply_by_form(bot, ALICE, role="mentor", email="alice@example.org", capacity="1")
    await apply_by_form(
        bot, CAROL, role="mentor", email="carol@example.org", capacity="1", interests="outreach"
    )
    await apply_by_form(bot, BOB, role="mentee", email="bob@example.org", interests="storytime")
    await staff_says(bot, "close Spring 2027")
    preview = await staff_says(bot, "match Spring 2027")
    assert "alice mentors bob" in preview.text
    await staff_says(bot, "confirm Spring 2027")
    assert "only association staff" in (await say(bot, "rematch bob@example.org")).text
    done = await staff_says(bot, "rematch bob@example.org")
    assert "carol now mentors bob" in done.text and "Introductions sent: 2" in done.text
    to_carol = [m.plain_text() for u, m in sender.dms if u.user_id == "U3"]
    assert len(to_carol) == 1 and "Your mentee is" in to_carol[0] and "bob" in to_carol[0]
    assert "carol@example.org" in (await say(bot, "status", user=BOB)).text
    month(clock, 2026, 12)
    assert (await checkins(bot).run_pass()).sent == 2
    assert asked(sender, "U1") == []  # Alice's ended match is not checked on


def introductions(sender: RecordingSender, user_id: str) -> list[str]:
    return [
        m.plain_text()
        for u, m in sender.dms
        if u.user_id == user_id and "first meeting" in m.plain_text()
    ]


async def test_a_cohort_confirmed_from_the_command_line_is_introduced_by_the_next_pass(
    bot: BotCore, sender: RecordingSender
) -> None:
    await matched_pair(bot)
    service = bot.services.mentoring.service
    await service.preview("Spring 2027")
    await service.confirm("Spring 2027")  # what memberbot mentoring confirm does: no DMs
    assert sender.dms == []
    assert (await checkins(bot).run_pass()).sent == 2
    assert (await checkins(bot).run_pass()).sent == 0
    assert len(introductions(sender, "U1")) == len(introductions(sender, "U2")) == 1


async def test_a_failed_introduction_is_sent_again_later_and_only_once(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    sender.flaky["U2"] = 1
    await matched_pair(bot)
    preview = await staff_says(bot, "match Spring 2027")
    confirmed = await press(bot, button(preview, "Confirm").ref.encode(), user=STAFF, staff=True)
    assert "Introductions sent: 1" in confirmed.text and "Not reachable here" in confirmed.text
    assert (await checkins(bot).run_pass()).sent == 0  # a claim this fresh may be in flight
    clock.advance(timedelta(minutes=11))
    assert (await checkins(bot).run_pass()).sent == 1
    assert (await checkins(bot).run_pass()).sent == 0
    assert len(introductions(sender, "U1")) == len(introductions(sender, "U2")) == 1


async def two_mentors_one_mentee(bot: BotCore) -> None:
    await staff_says(bot, "open Spring 2027")
    await apply_by_form(bot, ALICE, role="mentor", email="alice@example.org", capacity="1")
    await apply_by_form(
        bot, CAROL, role="mentor", email="carol@example.org", capacity="1", interests="outreach"
    )
    await apply_by_form(bot, BOB, role="mentee", email="bob@example.org", interests="storytime")
    await staff_says(bot, "close Spring 2027")
    assert "alice mentors bob" in (await staff_says(bot, "match Spring 2027")).text
    await staff_says(bot, "confirm Spring 2027")


async def test_rematching_a_mentor_who_left_moves_their_mentee_elsewhere(bot: BotCore) -> None:
    await two_mentors_one_mentee(bot)
    await say(bot, "leave", user=ALICE)
    done = await staff_says(bot, "rematch alice@example.org")
    assert "carol now mentors bob" in done.text
    again = await staff_says(bot, "rematch bob@example.org")  # Alice left: not offered again
    assert "no new mentor for bob@example.org" in again.text


async def test_rematch_of_someone_without_a_match_is_refused_politely(bot: BotCore) -> None:
    assert (
        "No one by nobody@example.org" in (await staff_says(bot, "rematch nobody@example.org")).text
    )
