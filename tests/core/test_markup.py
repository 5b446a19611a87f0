from __future__ import annotations

from bot.markup import parse_markup
from bot.replies import Bold, BulletList, Link, Paragraph, Text


def test_paragraphs_bold_links_and_bullets() -> None:
    message = parse_markup(
        "Contact **Elly** at [email](mailto:eserrano@ala.org).\n\n"
        "You can:\n- volunteer\n- donate to the [Friends](https://example.org/friends)"
    )
    first, second, bullets = message.blocks
    assert first == Paragraph(
        (
            Text("Contact "),
            Bold("Elly"),
            Text(" at "),
            Link("mailto:eserrano@ala.org", "email"),
            Text("."),
        )
    )
    assert second == Paragraph((Text("You can:"),))
    assert isinstance(bullets, BulletList)
    assert bullets.items[0] == (Text("volunteer"),)
    assert bullets.items[1][-1] == Link("https://example.org/friends", "Friends")


def test_unknown_syntax_stays_literal_text() -> None:
    message = parse_markup("Use <!channel> and @everyone and # heading")
    assert message.plain_text() == "Use <!channel> and @everyone and # heading"
    assert message.mentioned_users() == []


def test_plain_text_of_lists() -> None:
    assert parse_markup("Intro\n- a\n- b").plain_text() == "Intro\n\n• a\n• b"
