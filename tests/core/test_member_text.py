"""Member text is cleaned once, as requests are built: it stores, shows and exports safely."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest

from adapters.console.translate import console_user, translate_line
from bot.cli.kudos import write_csv
from bot.core import GENERIC_APOLOGY, BotCore
from bot.kudos.queries import export_rows
from bot.requests import MENTION_MARK, UserRef, clean_member_text
from tests.support.recording import RecordingSender

#: Right-to-left override, pop, and an isolate pair: each reorders how text shows.
BIDI = "\u202e\u202c\u2066\u2069"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain words", "plain words"),
        ("caf\udcc3\udca9 \ud800", "caf\ufffd\ufffd \ufffd"),  # bytes read with surrogateescape
        ("\ud83d\ude00 kept whole", "\U0001f600 kept whole"),  # a real pair is one character
        (f"for {BIDI[0]}gnitirw{BIDI[1]} {BIDI[2]}x{BIDI[3]}", "for gnitirw x"),
        (f"a{MENTION_MARK}0{MENTION_MARK}\x07\x85b", "a0b"),  # a forged mention mark
        ("lines\nand\ttabs stay, Día 😀 too", "lines\nand\ttabs stay, Día 😀 too"),
    ],
)
def test_clean_member_text(raw: str, clean: str) -> None:
    assert clean_member_text(raw) == clean


def test_display_names_from_platforms_are_cleaned_too() -> None:
    user = UserRef("slack", "T1", "U1", display_name=f"Ana{BIDI[0]} \ud800")
    assert user.display_name == "Ana \ufffd"


async def _say(core: BotCore, line: str, *, as_user: str = "alice") -> str:
    request = translate_line(line, sender=console_user(as_user), is_staff=False)
    assert request is not None
    reply = await core.handle(request)
    assert reply is not None
    return reply.text


async def test_bad_bytes_and_overrides_in_a_kudos_reason_never_reach_posts_or_exports(
    core: BotCore, outbound: RecordingSender
) -> None:
    # What a terminal's \xff\xfe and an RTL override look like once Python has read them.
    reason = f"for the \udcff\udcfe storytime {BIDI[0]}elbat{BIDI[1]}"
    answer = await _say(core, f"/kudos @bob {reason}")
    assert answer != GENERIC_APOLOGY and "posted" in answer
    [(_, post)] = outbound.posts
    mine = await _say(core, "/kudos mine", as_user="bob")
    stream = io.StringIO()
    write_csv(await export_rows(core.database), stream=stream, tz=ZoneInfo("UTC"))
    for shown in (post.plain_text(), mine, stream.getvalue()):
        assert "storytime elbat" in shown
        assert not any(char in shown for char in BIDI)
        assert "\ufffd\ufffd storytime" in shown
