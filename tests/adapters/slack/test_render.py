"""Rendering: escaping so member text cannot notify, Slack's length limits, fallback text."""

from __future__ import annotations

from adapters.slack.render import (
    FALLBACK_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    render,
)
from bot.replies import (
    Bold,
    CommandSpan,
    Link,
    MentionSpan,
    Message,
    MessageBuilder,
    NameSpan,
    Text,
)
from bot.requests import UserRef

ANA = UserRef(platform="slack", workspace_id="T1", user_id="U1", display_name="Ana")


def _texts(message: Message) -> list[str]:
    return [block["text"]["text"] for block in render(message).blocks]


def test_member_text_cannot_notify_anyone() -> None:
    hostile = "<!channel> <!here> <!everyone> <!subteam^S1|@all> <@U9> & more"
    message = MessageBuilder().paragraph(Text(hostile), NameSpan(ANA)).build()
    rendered = render(message)
    for text in [*_texts(message), rendered.text]:
        assert "<" not in text and ">" not in text
        assert "&lt;!channel&gt;" in text
        assert "&amp; more" in text


def test_a_display_name_cannot_notify_either() -> None:
    sneaky = UserRef(platform="slack", workspace_id="T1", user_id="U2", display_name="<!channel>")
    [text] = _texts(
        MessageBuilder().paragraph(NameSpan(sneaky), " and ", MentionSpan(sneaky)).build()
    )
    assert text == "&lt;!channel&gt; and <@U2>"


def test_spans_render_as_mrkdwn() -> None:
    message = (
        MessageBuilder()
        .paragraph(
            Bold("Deadline"), " for ", MentionSpan(ANA), ": ", Link("https://ex.org/a", "form")
        )
        .bullets([["one"], [Bold("two")]])
        .build()
    )
    assert _texts(message) == [
        "*Deadline* for <@U1>: <https://ex.org/a|form>",
        "• one\n• *two*",
    ]


def test_unsafe_link_is_shown_as_text() -> None:
    [text] = _texts(MessageBuilder().paragraph(Link("javascript:alert(1)|<!here>", "x")).build())
    assert text == "x (javascript:alert(1)|&lt;!here&gt;)"


def test_commands_are_named_as_typed_on_slack_and_member_text_is_left_alone() -> None:
    message = MessageBuilder().paragraph(
        CommandSpan("help"),
        " or ",
        CommandSpan("kudos", "@ana for WHY", action="give"),
        Text(" — member wrote: read the /help page"),
    )
    [text] = _texts(message.build())
    assert text == "*/bothelp* or */kudos @ana for WHY* — member wrote: read the /help page"


def test_long_text_is_split_into_sections_within_the_limit() -> None:
    words = " ".join(f"word{n}&" for n in range(2000))  # about 20,000 characters escaped
    message = MessageBuilder().paragraph(Text(words)).build()
    texts = _texts(message)
    assert len(texts) > 1
    assert all(len(t) <= SECTION_TEXT_LIMIT for t in texts)
    # Split at word boundaries: nothing lost, no escape cut in half.
    assert " ".join(texts).replace("&amp;", "&") == words
    assert len(render(message).text) <= FALLBACK_TEXT_LIMIT


def test_one_enormous_word_is_cut_without_breaking_escapes() -> None:
    message = MessageBuilder().paragraph(Text("&" * 5000)).build()
    texts = _texts(message)
    assert all(len(t) <= SECTION_TEXT_LIMIT for t in texts)
    assert "".join(texts) == "&amp;" * 5000


def test_block_count_is_capped() -> None:
    message = MessageBuilder().bullets([[Text("x" * 2500)] for _ in range(80)]).build()
    texts = _texts(message)
    assert len(texts) == MAX_BLOCKS
    assert texts[-1] == "… (message shortened)"


def test_empty_message_still_has_text() -> None:
    rendered = render(Message())
    assert rendered.text.strip() == "" and rendered.text
    assert len(rendered.blocks) == 1


def test_section_text_is_verbatim() -> None:
    # Slack must not link or mention anything on its own, only what we marked up.
    rendered = render(MessageBuilder().paragraph(Text("see #general or www.ala.org")).build())
    assert all(block["text"]["verbatim"] is True for block in rendered.blocks)
