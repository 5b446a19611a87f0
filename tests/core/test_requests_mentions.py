"""Walking a request's text and mentions: the one reader of the mention tokens."""

from __future__ import annotations

import pytest

from adapters.console.translate import console_user, translate_line
from bot.broadcasts.parsing import DraftRequest, parse
from bot.kudos.parsing import MentionedUser, parse_recipients_and_reason, split_recipients
from bot.requests import (
    MENTION_MARK,
    Mention,
    MentionKind,
    Request,
    UserRef,
    clean_member_text,
    mention_token,
    segments,
)

ANA = UserRef("console", "local", "ana", display_name="Ana")
BO = UserRef("console", "local", "bo", display_name="Bö")
AT_ANA = Mention(MentionKind.USER, "@ana", user=ANA)
AT_BO = Mention(MentionKind.USER, "@bö", user=BO)
GENERAL = Mention(MentionKind.CHANNEL, "#general", channel_id="C1")
CROWD = Mention(MentionKind.EVERYONE, "@here")
MENTIONS = (AT_ANA, AT_BO, GENERAL, CROWD)
T0, T1, T2, T3 = (mention_token(index) for index in range(4))


def _request(text: str, mentions: tuple[Mention, ...] = MENTIONS, command: str = "ask") -> Request:
    return Request("console", "local", "console", ANA, command, text=text, mentions=mentions)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", []),
        ("plain words", ["plain words"]),
        (f"{T0} first", [AT_ANA, " first"]),
        (f"last {T1}", ["last ", AT_BO]),
        (f"{T0}{T1}{T2}", [AT_ANA, AT_BO, GENERAL]),  # adjacent tokens, no words between
        (f"{T3}", [CROWD]),
        (f"a {T0} b {T0} c", ["a ", AT_ANA, " b ", AT_ANA, " c"]),  # one mention, twice
        (f"café {T1} — 李 😀", ["café ", AT_BO, " — 李 😀"]),
    ],
)
def test_segments_are_words_and_mentions_in_order(text: str, parts: list[str | Mention]) -> None:
    assert list(_request(text).segments()) == parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (f"a {mention_token(4)} b", ["a  b"]),  # no mentions[4]: dropped, words joined
        (f"{mention_token(99)}", []),
        (f"a{MENTION_MARK}b", ["ab"]),  # a lone mark is no token
        (f"{MENTION_MARK}{T0}", [AT_ANA]),  # a mark just before a real token
        (f"{T0}1{MENTION_MARK}", [AT_ANA, "1"]),  # the closing mark is not reused
        (f"{MENTION_MARK}x{MENTION_MARK}", ["x"]),  # marks around a non-number
        (f"{MENTION_MARK}١{MENTION_MARK}", ["١"]),  # Arabic-Indic digit: not an index
        (f"{MENTION_MARK}{'9' * 5000}{MENTION_MARK} ok", ["9" * 5000 + " ok"]),  # no huge int()
    ],
)
def test_token_like_text_that_names_no_mention_is_never_a_mention(
    text: str, parts: list[str | Mention]
) -> None:
    walked = list(_request(text).segments())
    assert walked == parts
    assert not any(MENTION_MARK in part for part in walked if isinstance(part, str))


def test_segments_of_part_of_the_text_use_the_same_mentions() -> None:
    request = _request(f"top {T0} and more", mentions=MENTIONS)
    assert list(request.segments(f"for {T1}")) == ["for ", AT_BO]
    assert list(segments(f"for {T1}", MENTIONS)) == ["for ", AT_BO]


def test_text_helpers_read_mentions_as_typed_or_by_name() -> None:
    request = _request(f"{T0} ask {T1} in {T2} {T3}")
    assert request.text_as_typed() == "@ana ask @bö in #general @here"
    assert request.text_with_names() == "@Ana ask @Bö in #general @here"
    assert request.mentions_in() == MENTIONS
    assert request.mentions_in(f"x {T2}") == (GENERAL,)
    assert request.only_mention(T2) == GENERAL
    assert request.only_mention(f" {T2}") is None
    assert request.only_mention("general") is None
    assert request.only_mention(mention_token(7)) is None


def test_text_of_writes_parts_back_so_they_walk_the_same() -> None:
    request = _request(f"{T1} and {T0}, {T1} too")
    parts = list(request.segments())
    assert list(request.segments(request.text_of(parts))) == parts
    assert request.text_of(parts[1:]) == f" and {T0}, {T1} too"


def test_a_member_cannot_forge_a_mention_by_typing_the_token() -> None:
    forged = f"/kudos {T0} @bo for {MENTION_MARK}1{MENTION_MARK} the booth"
    request = translate_line(forged, sender=console_user("ana"), is_staff=False)
    assert request is not None
    assert request.mentions == (Mention(MentionKind.USER, "@bo", user=console_user("bo")),)
    assert request.text == f"0 {T0} for 1 the booth"
    recipients, _ = split_recipients(request)
    assert recipients == ()  # the typed "0" stays words, so @bo is not first
    assert request.text_as_typed() == "0 @bo for 1 the booth"


def test_names_from_platforms_cannot_carry_a_token() -> None:
    sneaky = UserRef("slack", "T1", "U1", display_name=f"Ana{T0}")
    assert sneaky.display_name == "Ana0"
    assert clean_member_text(f"x{T1}y") == "x1y"


def test_kudos_recipients_are_the_leading_mentions_and_the_rest_is_the_reason() -> None:
    request = _request(f" {T0}, {T1} and {T0} for helping {T1} at {T2} {T3}", command="kudos")
    parsed = parse_recipients_and_reason(request)
    assert parsed.recipients == (AT_ANA, AT_BO, AT_ANA)
    assert parsed.reason == ("for helping ", MentionedUser(BO), " at #general @here")
    assert parsed.reason_text == "for helping @Bö at #general @here"


@pytest.mark.parametrize(
    ("text", "recipients", "rest"),
    [
        (f"{T0}", (AT_ANA,), ""),
        (f"{T0} ,", (AT_ANA,), ""),  # a trailing separator is dropped
        (f"{T0} and", (AT_ANA,), "and"),  # as before: "and" is then read as filler
        (f"{T0}{T1} x", (AT_ANA, AT_BO), "x"),
        (f"great {T0}", (), f"great {T0}"),
        (f"{T2}: for the booth", (GENERAL,), "for the booth"),
    ],
)
def test_split_recipients_keeps_the_rest_as_text_with_tokens(
    text: str, recipients: tuple[Mention, ...], rest: str
) -> None:
    assert split_recipients(_request(text, command="kudos")) == (recipients, rest)


def test_broadcast_channel_and_message_mentions_come_from_the_walker() -> None:
    draft = parse(_request(f"{T2} Hello {T0} and {T3}", command="broadcast"))
    assert draft == DraftRequest(
        to_dm=False,
        channel_id="C1",
        local_day=None,
        local_time=None,
        text="Hello @Ana and @here",
    )


@pytest.mark.parametrize(
    "marked", [f"{'9' * 5000}", "²", "١"], ids=["over int's digit limit", "superscript", "arabic"]
)
def test_odd_numbers_between_marks_never_raise(marked: str) -> None:
    request = _request(f"{T0} for {MENTION_MARK}{marked}{MENTION_MARK} x", command="kudos")
    parsed = parse_recipients_and_reason(request)
    assert parsed.recipients == (AT_ANA,)
    assert parsed.reason_text == f"for {marked} x"
    assert request.text_as_typed() == f"@ana for {marked} x"
