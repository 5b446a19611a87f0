"""Rendering: rich_text blocks member text cannot format or notify through, Slack's limits."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from adapters.slack.render import (
    FALLBACK_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    SlackMessage,
    render,
)
from bot.commands.catalogue import default_catalogue
from bot.commands.naming import typed_form, with_command_forms
from bot.commands.spec import CommandNames
from bot.replies import (
    Bold,
    CommandSpan,
    Link,
    MentionSpan,
    Message,
    MessageBuilder,
    NameSpan,
    Reply,
    Text,
)
from bot.requests import UserRef

ANA = UserRef(platform="slack", workspace_id="T1", user_id="U1", display_name="Ana")
FORMATTING = "*bold* _it_ ~strike~ `code` ```block``` > quote"


def _render(message: Message) -> SlackMessage:
    """Render, and check every block is one the Slack SDK's own models read back unchanged."""
    rendered = render(message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the SDK warns about keys it does not know
        for block in rendered.blocks:
            parsed = Block.parse(block)
            assert parsed is not None and parsed.to_dict() == block
    return rendered


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline elements of a paragraph block."""
    assert block["type"] == "rich_text"
    [section] = block["elements"]
    assert section["type"] == "rich_text_section"
    return section["elements"]


def _shown(rendered: SlackMessage) -> str:
    """What the blocks show, as text (mentions as @id, links as their label)."""
    parts: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if node["type"] == "text":
            parts.append(node["text"])
        elif node["type"] == "user":
            parts.append(f"@{node['user_id']}")
        elif node["type"] == "link":
            parts.append(node.get("text", node["url"]))
        for child in node.get("elements", ()):
            walk(child)

    for block in rendered.blocks:
        walk(block)
    return "".join(parts)


def test_member_formatting_is_shown_as_typed_never_as_mrkdwn() -> None:
    name = UserRef("slack", "T1", "U2", display_name="_Ben_ *the* `great`")
    message = MessageBuilder().paragraph(Text(FORMATTING), " from ", NameSpan(name)).build()
    rendered = _render(message)
    [block] = rendered.blocks
    assert _elements(block) == [
        {"type": "text", "text": f"{FORMATTING} from _Ben_ *the* `great`"}  # no style
    ]
    assert "mrkdwn" not in json.dumps(rendered.blocks)
    # The fallback is read as mrkdwn: it holds no formatting character at all.
    assert not set("*_~`") & set(rendered.text)
    assert rendered.text.startswith("∗bold∗ ˍitˍ ∼strike∼ ˋcodeˋ")


def test_member_text_cannot_notify_anyone() -> None:
    hostile = "<!channel> <!here> <!everyone> <!subteam^S1|@all> <@U9> & more @channel"
    rendered = _render(MessageBuilder().paragraph(Text(hostile), NameSpan(ANA)).build())
    [block] = rendered.blocks
    assert _elements(block) == [{"type": "text", "text": f"{hostile}Ana"}]
    assert "<" not in rendered.text and ">" not in rendered.text
    assert "&lt;!channel&gt;" in rendered.text and "&amp; more" in rendered.text


def test_only_mention_spans_notify() -> None:
    sneaky = UserRef(platform="slack", workspace_id="T1", user_id="U2", display_name="<!channel>")
    discord_user = UserRef(platform="discord", workspace_id="1", user_id="42", display_name="Zed")
    message = MessageBuilder().paragraph(
        NameSpan(sneaky), " and ", MentionSpan(sneaky), " and ", MentionSpan(discord_user)
    )
    rendered = _render(message.build())
    assert _elements(rendered.blocks[0]) == [
        {"type": "text", "text": "<!channel> and "},
        {"type": "user", "user_id": "U2"},
        {"type": "text", "text": " and @Zed"},
    ]
    assert rendered.text == "&lt;!channel&gt; and <@U2> and @Zed"


def test_spans_render_as_rich_text_elements() -> None:
    message = (
        MessageBuilder()
        .paragraph(
            Bold("Deadline"), " for ", MentionSpan(ANA), ": ", Link("https://ex.org/a", "form")
        )
        .bullets([["one"], [Bold("two")]])
        .build()
    )
    rendered = _render(message)
    paragraph, bullets = rendered.blocks
    assert _elements(paragraph) == [
        {"type": "text", "text": "Deadline", "style": {"bold": True}},
        {"type": "text", "text": " for "},
        {"type": "user", "user_id": "U1"},
        {"type": "text", "text": ": "},
        {"type": "link", "url": "https://ex.org/a", "text": "form"},
    ]
    [listing] = bullets["elements"]
    assert listing["type"] == "rich_text_list" and listing["style"] == "bullet"
    assert [item["elements"] for item in listing["elements"]] == [
        [{"type": "text", "text": "one"}],
        [{"type": "text", "text": "two", "style": {"bold": True}}],
    ]
    assert rendered.text == "Deadline for <@U1>: form (https://ex.org/a)\n\n• one\n• two"


def test_unsafe_link_is_shown_as_text() -> None:
    rendered = _render(MessageBuilder().paragraph(Link("javascript:alert(1)|<!here>", "x")).build())
    assert _elements(rendered.blocks[0]) == [
        {"type": "text", "text": "x (javascript:alert(1)|<!here>)"}
    ]
    assert "link" not in json.dumps(rendered.blocks)
    assert rendered.text == "x (javascript:alert(1)|&lt;!here&gt;)"


def test_commands_are_named_as_typed_on_slack_and_member_text_is_left_alone() -> None:
    message = MessageBuilder().paragraph(
        CommandSpan("help"),
        " or ",
        CommandSpan("kudos", "@ana for WHY", action="give"),
        Text(" — member wrote: read the /help page"),
    )
    named = with_command_forms(
        Reply(message.build()), typed_form(default_catalogue(), CommandNames())
    )
    assert _elements(_render(named.message).blocks[0]) == [
        {"type": "text", "text": "/bothelp", "style": {"bold": True}},
        {"type": "text", "text": " or "},
        {"type": "text", "text": "/kudos @ana for WHY", "style": {"bold": True}},
        {"type": "text", "text": " — member wrote: read the /help page"},
    ]


@pytest.mark.parametrize("bullets", [False, True], ids=["paragraph", "one-bullet"])
def test_long_text_is_split_into_blocks_within_the_limit(bullets: bool) -> None:
    words = " ".join(f"word{n}&*" for n in range(2000))  # about 16,000 characters
    builder = MessageBuilder()
    message = (builder.bullets([[Text(words)]]) if bullets else builder.paragraph(words)).build()
    rendered = _render(message)
    assert len(rendered.blocks) > 1
    texts = [_shown(SlackMessage(blocks=[block], text="")) for block in rendered.blocks]
    assert all(len(text) <= SECTION_TEXT_LIMIT for text in texts)
    assert " ".join(texts) == words  # split between words: nothing lost
    assert len(rendered.text) <= FALLBACK_TEXT_LIMIT


def test_many_bullets_share_blocks_within_the_limit() -> None:
    items = [[Text(f"item {n} " + "x" * 400)] for n in range(30)]
    rendered = _render(MessageBuilder().bullets(items).build())
    assert 1 < len(rendered.blocks) < 30
    for block in rendered.blocks:
        assert len(_shown(SlackMessage(blocks=[block], text=""))) <= SECTION_TEXT_LIMIT
    assert _shown(rendered) == "".join(f"item {n} " + "x" * 400 for n in range(30))


def test_one_enormous_word_is_cut() -> None:
    rendered = _render(MessageBuilder().paragraph(Text("&" * 7000)).build())
    texts = [_shown(SlackMessage(blocks=[block], text="")) for block in rendered.blocks]
    assert [len(text) for text in texts] == [3000, 3000, 1000]
    assert rendered.text.startswith("&amp;&amp;") and len(rendered.text) <= FALLBACK_TEXT_LIMIT


def test_block_count_is_capped() -> None:
    message = MessageBuilder().bullets([[Text("x" * 2500)] for _ in range(80)]).build()
    rendered = _render(message)
    assert len(rendered.blocks) == MAX_BLOCKS
    assert _elements(rendered.blocks[-1]) == [{"type": "text", "text": "… (message shortened)"}]


def test_empty_message_still_has_text() -> None:
    rendered = _render(Message())
    assert rendered.text.strip() == "" and rendered.text
    assert len(rendered.blocks) == 1
