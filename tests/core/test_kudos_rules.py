"""The kudos rules on their own: recipients, text length, quota and its reset time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.kudos.rules import check_quota, describe_wait, validate_recipients, validate_text
from bot.requests import MentionKind
from tests.core.kudos_support import ALICE, BOB, CAROL, at, member, other

CHICAGO = ZoneInfo("America/Chicago")


def test_same_member_in_two_mention_forms_collapses_to_one_recipient() -> None:
    bob_plain = at(BOB, "<@U2>")
    bob_labelled = at(member("U2", "Bob Smith"), "<@U2|Bob Smith>")
    assert validate_recipients([bob_plain, bob_labelled, at(CAROL)], giver=ALICE) == [BOB, CAROL]


def test_self_kudos_through_a_second_mention_form_is_refused() -> None:
    # Same platform identity, different display name: caught by key, not by name.
    alice_labelled = at(member("U1", "Alice Librarian"), "<@U1|Alice Librarian>")
    with pytest.raises(UserError, match="yourself"):
        validate_recipients([alice_labelled], giver=ALICE)


def test_two_recipients_where_one_is_the_giver_refuses_the_whole_command() -> None:
    with pytest.raises(UserError, match=r"yourself \(<@U1>\).*Nothing was sent"):
        validate_recipients([at(BOB), at(ALICE)], giver=ALICE)


def test_same_name_on_another_platform_is_not_the_giver() -> None:
    discord_alice = ALICE.__class__(
        platform="discord", workspace_id="G1", user_id="U1", display_name="alice"
    )
    assert validate_recipients([at(discord_alice)], giver=ALICE) == [discord_alice]


def test_bots_are_refused() -> None:
    with pytest.raises(UserError, match="is a bot"):
        validate_recipients(
            [at(BOB), at(member("B1", "memberbot", bot=True), "@memberbot")], giver=ALICE
        )


@pytest.mark.parametrize(
    ("kind", "raw", "problem"),
    [
        (MentionKind.GROUP, "<!subteam^S1|@librarians>", "group or role"),
        (MentionKind.GROUP, "<@&42>", "group or role"),
        (MentionKind.CHANNEL, "<#C9|general>", "channel"),
        (MentionKind.EVERYONE, "@here", "notify everyone"),
        (MentionKind.UNKNOWN_USER, "<@U404>", "not a member I could find"),
    ],
)
def test_non_person_mentions_are_refused_naming_what_was_typed(
    kind: MentionKind, raw: str, problem: str
) -> None:
    with pytest.raises(UserError) as caught:
        validate_recipients([at(BOB), other(kind, raw)], giver=ALICE, what="kudos")
    assert raw in caught.value.message
    assert problem in caught.value.message
    assert "Nothing was sent" in caught.value.message


def test_text_over_the_limit_states_the_limit() -> None:
    assert validate_text("  for a lot  ", max_length=20, what="reason") == "for a lot"
    with pytest.raises(UserError, match="21 characters; the limit is 20"):
        validate_text("x" * 21, max_length=20, what="reason")


def test_quota_allows_up_to_the_limit() -> None:
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    check_quota(used_today=4, wanted=1, quota=5, now=now, tz=CHICAGO, what="kudos")


def test_quota_refusal_says_when_it_resets_in_local_time() -> None:
    # 15:00 UTC is 09:00 in Chicago: local midnight is 15 hours away.
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    with pytest.raises(UserError) as caught:
        check_quota(used_today=5, wanted=1, quota=5, now=now, tz=CHICAGO, what="kudos")
    assert "all 5 kudos" in caught.value.message
    assert "resets at midnight CST, in 15 hours" in caught.value.message


def test_quota_refusal_for_too_many_recipients_says_how_many_are_left() -> None:
    now = datetime(2026, 11, 24, 5, 30, tzinfo=UTC)  # 23:30 in Chicago
    with pytest.raises(UserError) as caught:
        check_quota(used_today=3, wanted=3, quota=5, now=now, tz=CHICAGO, what="kudos")
    assert "2 kudos left today but mentioned 3 people" in caught.value.message
    assert "in 30 minutes" in caught.value.message


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=5), "in 5 hours"),
        (timedelta(hours=1, minutes=20), "in 1 hour and 20 minutes"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(seconds=10), "in 1 minute"),
        (timedelta(hours=7, minutes=59, seconds=50), "in 8 hours"),
        (timedelta(hours=10, minutes=57), "in about 11 hours"),
        (timedelta(hours=10, minutes=20), "in about 10 hours"),
        (timedelta(hours=3, minutes=29), "in about 3 hours"),
        (timedelta(hours=2, minutes=59), "in 2 hours and 59 minutes"),
        (timedelta(minutes=59, seconds=40), "in 1 hour"),
        (timedelta(minutes=42, seconds=20), "in 42 minutes"),
    ],
)
def test_describe_wait(delta: timedelta, text: str) -> None:
    assert describe_wait(delta) == text


def test_an_everyone_refusal_never_suggests_the_members_own_name() -> None:
    for giver in (ALICE, member("U7", "maria")):
        with pytest.raises(UserError) as caught:
            validate_recipients([other(MentionKind.EVERYONE, "@everyone")], giver=giver)
        example = caught.value.message.split("like @", 1)[1].split(".", 1)[0]
        assert example.lower() not in {giver.name.lower(), giver.user_id.lower()}
        assert example in {"maria", "sam"}


def test_the_length_counted_is_what_the_member_typed_and_sees() -> None:
    # accents typed as their own combining marks: 20 characters seen, 24 code points
    typed = "for the Di\u0301a cafe\u0301 a\u0301n\u0303o"
    assert (len("for the Día café áño"), len(typed)) == (20, 24)
    assert validate_text(typed, max_length=20, what="reason") == typed
    with pytest.raises(UserError) as caught:
        validate_text("for " + "x" * 2000, max_length=500, what="reason")
    assert caught.value.message.startswith(
        "Your reason (everything after the names) is 2,004 characters; the limit is 500, "
        "so please cut at least 1,504."
    )
    with pytest.raises(UserError, match=r"Your note \(everything after the name\) is 2,000"):
        validate_text("x" * 2000, max_length=500, what="note")
