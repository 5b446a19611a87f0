"""Parsing /kudos arguments and neutralising member text (no database)."""

from __future__ import annotations

import pytest

from bot.kudos.messages import kudos_post
from bot.kudos.parsing import (
    MentionedUser,
    parse_recipients_and_reason,
    split_subcommand,
    unresolved_leading_mention,
)
from bot.kudos.safety import WORD_JOINER, neutralise
from bot.replies import MentionSpan, NameSpan, Text
from bot.requests import MentionKind
from tests.core.kudos_support import ALICE, BOB, CAROL, DAN, at, other, request


def test_leading_mentions_are_recipients_and_the_rest_is_the_reason() -> None:
    parsed = parse_recipients_and_reason(request(at(BOB), " for running the sensory storytime"))
    assert [m.user for m in parsed.recipients] == [BOB]
    assert parsed.reason_text == "for running the sensory storytime"


@pytest.mark.parametrize("separator", [" ", ", ", " and ", " & ", ",", " AND "])
def test_recipients_may_be_separated_by_commas_and_and(separator: str) -> None:
    parsed = parse_recipients_and_reason(
        request(at(BOB), separator, at(CAROL), ", and ", at(DAN), " for the Día booth")
    )
    assert [m.user for m in parsed.recipients] == [BOB, CAROL, DAN]
    assert parsed.reason_text == "for the Día booth"


def test_a_mention_inside_the_reason_is_a_name_not_a_recipient() -> None:
    parsed = parse_recipients_and_reason(
        request(at(BOB), " for helping ", at(CAROL), " with the grant")
    )
    assert [m.user for m in parsed.recipients] == [BOB]
    assert parsed.reason == ("for helping ", MentionedUser(CAROL), " with the grant")
    assert parsed.reason_text == "for helping @carol with the grant"


def test_reason_starting_with_and_is_kept() -> None:
    parsed = parse_recipients_and_reason(request(at(BOB), " and the whole team, thank you"))
    assert parsed.reason_text == "and the whole team, thank you"


def test_text_without_leading_mention_has_no_recipients() -> None:
    parsed = parse_recipients_and_reason(request("great job ", at(BOB)))
    assert parsed.recipients == ()


def test_group_mentions_inside_the_reason_stay_as_typed_text() -> None:
    parsed = parse_recipients_and_reason(
        request(at(BOB), " for telling ", other(MentionKind.GROUP, "<!subteam^S1>"), " first")
    )
    assert parsed.reason == ("for telling <!subteam^S1> first",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("top week", ("top", "week")),
        ("TOP", ("top", "")),
        ("mine", ("mine", "")),
        ("undo", ("undo", "")),
        ("digest october", ("digest", "october")),
        ("topical thanks", (None, "topical thanks")),
    ],
)
def test_subcommands(text: str, expected: tuple[str | None, str]) -> None:
    assert split_subcommand(text) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "@everyone",
        "@here",
        "@channel",
        "@Everyone",
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "<!subteam^S123|team>",
        "<@&123456>",
        "<@U999>",
        "<#C1>",
    ],
)
def test_neutralise_breaks_every_mass_mention_form(raw: str) -> None:
    safe = neutralise(f"thanks {raw}!")
    assert raw not in safe
    assert safe.replace(WORD_JOINER, "") == f"thanks {raw}!"  # still reads the same


def test_neutralise_keeps_ordinary_text_and_emails() -> None:
    text = "for emailing eserrano@ala.org about the <3 storytime"
    assert neutralise(text) == text


def test_kudos_post_mentions_only_recipients_and_giver() -> None:
    parsed = parse_recipients_and_reason(
        request(
            at(BOB),
            " for ",
            other(MentionKind.EVERYONE, "@everyone"),
            " and ",
            at(CAROL),
            " <!channel> @here",
        )
    )
    message = kudos_post(
        giver=ALICE, recipients=[m.user for m in parsed.recipients], reason=parsed.reason
    )
    assert message.mentioned_users() == [BOB, ALICE]
    assert NameSpan(CAROL) in list(message.spans())
    text = message.plain_text()
    for crowd in ("@everyone", "@here", "<!channel>"):
        assert crowd not in text
    assert text.startswith("🎉 @bob got kudos from @alice: for @")
    assert all(
        not isinstance(span, MentionSpan) or span.user in (BOB, ALICE) for span in message.spans()
    )
    assert any(isinstance(span, Text) and "channel" in span.text for span in message.spans())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@bobby for the booth", "@bobby"),
        ("<@U77 for the booth", "<@U77"),
        ("  <!subteam^S1> thanks", "<!subteam^S1>"),
        ("for the booth @bobby", None),
        ("\x1f0\x1f for x", None),
        ("", None),
    ],
)
def test_unresolved_leading_mention(text: str, expected: str | None) -> None:
    assert unresolved_leading_mention(text) == expected


@pytest.mark.parametrize(
    ("typed", "reason", "reason_typed"),
    [
        (" for", "", True),
        (" and", "", True),
        (" AND", "", True),
        (", for x", "for x", True),
        (". for dot", "for dot", True),
        ("... for the booth", "for the booth", True),
        (" — thanks!", "thanks!", True),
        (" for the booth,", "for the booth", True),
        (" for the booth &", "for the booth", True),
        (" for the booth and", "for the booth", True),
        (" for the booth band", "for the booth band", True),
        (" for the booth.", "for the booth.", True),
        (" :tada: for x :star:", ":tada: for x :star:", True),
        (" -5 degrees and still ran storytime", "-5 degrees and still ran storytime", True),
        (" for and because", "", True),
        (" ,", "", False),
        ("", "", False),
    ],
)
def test_separators_and_filler_around_the_reason(
    typed: str, reason: str, reason_typed: bool
) -> None:
    parsed = parse_recipients_and_reason(request(at(BOB), typed))
    assert [m.user for m in parsed.recipients] == [BOB]
    assert parsed.reason_text == reason
    assert parsed.reason_typed is reason_typed


def test_a_mention_after_filler_is_a_reason() -> None:
    parsed = parse_recipients_and_reason(request(at(BOB), " for ", at(CAROL)))
    assert parsed.reason == ("for ", MentionedUser(CAROL))


@pytest.mark.parametrize(
    "raw", ["@everyone_", "@everyonefoo", "@here123", "@channel_team", "@HEREwego"]
)
def test_neutralise_breaks_crowd_words_glued_to_more_text(raw: str) -> None:
    safe = neutralise(f"thanks {raw}!")
    assert raw not in safe
    assert safe.replace(WORD_JOINER, "") == f"thanks {raw}!"
