"""The console chat driven end to end through injected stdin/stdout."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from sqlalchemy import select

from adapters.console.app import ConsoleApp, ConsoleSender
from adapters.console.inbox import ConsoleInbox
from adapters.console.logs import log_to_file
from adapters.console.render import render_text
from adapters.console.roster import ConsoleRoster
from adapters.console.terminal import Terminal
from adapters.console.translate import console_user
from bot.core import BotCore
from bot.outbound import ChannelTarget
from bot.replies import text_message
from bot.storage.models import Member


async def chat(core: BotCore, *lines: str, staff: bool = False) -> str:
    stdout = io.StringIO()
    core.outbound = ConsoleSender(stdout=stdout)
    app = ConsoleApp(
        core=core,
        user=console_user("alice"),
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=stdout,
        is_staff=staff,
        interactive=False,
    )
    await app.run()
    return stdout.getvalue()


async def test_plain_question_and_slash_ask(core: BotCore) -> None:
    output = await chat(
        core,
        "When do applications for the mentoring program close?",
        "/ask whats elly's email",
    )
    assert "October 11" in output
    assert "eserrano@ala.org" in output
    assert output.rstrip().endswith("Bye!")


async def test_help_deadlines_and_unknown_commands(core: BotCore) -> None:
    output = await chat(core, "/help", "/deadlines", "/nonsense", "", "/quit", "/help")
    assert "Here is what I can do" in output
    assert "I don't know the command /nonsense" in output
    assert "Traceback" not in output
    # /quit ends the chat: the /help after it is never answered (three replies, then Bye)
    assert output.count("bot> ") == 3
    assert output.rstrip().endswith("Bye!")


async def test_out_of_scope_question_names_a_contact(core: BotCore) -> None:
    output = await chat(core, "what's the wifi password at the conference hotel?")
    assert "eserrano@ala.org" in output or "Elly" in output


# -- mentions, the roster, messages from elsewhere --------------------------------------


async def chat_with_roster(core: BotCore, *lines: str, as_user: str = "alice") -> str:
    stdout = io.StringIO()
    core.outbound = ConsoleSender(stdout=stdout)
    me = console_user(as_user)
    roster = ConsoleRoster(core.database, me=me)
    await roster.join(core.now())
    app = ConsoleApp(
        core=core,
        user=me,
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=stdout,
        interactive=False,
        roster=roster,
    )
    await app.run()
    return stdout.getvalue()


async def member_ids(core: BotCore) -> set[str]:
    async with core.database.session() as session:
        return set(await session.scalars(select(Member.user_id)))


async def test_mentions_keep_letters_of_every_script(core: BotCore) -> None:
    output = await chat(core, "/kudos @José, @Zoë and @李 for the Día booth")
    assert "[posted in #kudos] 🎉 @José, @Zoë and @李 got kudos from @alice" in output
    assert "@Jos " not in output and "@Jos," not in output


async def test_an_unknown_name_is_refused_and_never_becomes_a_member(core: BotCore) -> None:
    output = await chat_with_roster(core, "/kudos @mraia for the booth", "/thanks @bob hi")
    assert "bot> I don't know @mraia — in this console you can mention @alice, @ana" in output
    assert "memberbot console --as mraia" in output
    assert "You typed: /kudos @mraia for the booth" in output  # nothing the member typed is lost
    assert "I don't know @bob" in output
    assert "[posted in" not in output and "[DM to" not in output
    assert await member_ids(core) == {"alice"}


async def test_the_demo_team_and_people_who_chatted_can_be_mentioned(core: BotCore) -> None:
    await chat_with_roster(core, "/help", as_user="José")  # another console, same database
    output = await chat_with_roster(core, "/kudos @maria and @josé for the storytime")
    assert "[posted in #kudos] 🎉 @maria and @José got kudos from @alice" in output
    assert "I don't know" not in output


async def test_a_second_console_shows_kudos_and_notes_addressed_to_its_member(
    core: BotCore,
) -> None:
    bob = console_user("bob")
    shown: list[str] = []
    await chat_with_roster(core, "/help", as_user="bob")
    await chat_with_roster(core, "/kudos @bob for the old booth")  # before bob's console
    inbox = ConsoleInbox(core.database, bob, shown.append)
    await inbox.start()
    await chat_with_roster(
        core,
        "/kudos @bob and @maria for the storytime",
        "/thanks @bob merci!",
        "/kudos @maria for the flyers",  # not for bob
    )
    assert await inbox.check() == 2
    assert shown == [
        "[posted in #kudos] 🎉 @bob and @maria got kudos from @alice: for the storytime",
        "[DM from @alice] 💌 @alice sent you a thank-you note:\n\nmerci!",
    ]
    assert await inbox.check() == 0  # each is shown once


# -- the terminal: messages arriving while the member types, inline code, logs ----------


class FakeReadline:
    """What the member has typed so far, as GNU readline would report it."""

    def __init__(self, typed: str) -> None:
        self.typed = typed

    def get_line_buffer(self) -> str:
        return self.typed


async def test_a_background_post_goes_above_the_prompt_which_is_drawn_again(
    core: BotCore,
) -> None:
    stdout = io.StringIO()
    terminal = Terminal(stdout, interactive=True, readline=FakeReadline("/kudos @ma"))  # type: ignore[arg-type]
    sender = ConsoleSender(stdout=stdout, terminal=terminal)
    terminal.prompting = True  # the member is typing after the prompt
    await sender.post(
        target=ChannelTarget(channel_id="#announcements"), message=text_message("Mixer at 6")
    )
    assert stdout.getvalue() == "\r\x1b[2K[posted in #announcements] Mixer at 6\nyou> /kudos @ma"
    terminal.prompting = False  # between prompts (a reply is on its way): printed as is
    terminal.announce("[DM to @bob] hi")
    assert stdout.getvalue().endswith("/kudos @ma[DM to @bob] hi\n")


def test_inline_code_is_shown_in_quotes_not_backticks() -> None:
    message = text_message("Pick a later time, or leave out `at ...` to send now; a ` stays.")
    assert render_text(message) == (
        'Pick a later time, or leave out "at ..." to send now; a ` stays.'
    )


async def test_a_broadcast_refusal_shows_no_backticks(core: BotCore) -> None:
    output = await chat(core, "/broadcast announcements at 2020-01-01 09:00 hello", staff=True)
    reply = next(line for line in output.splitlines() if line.startswith("bot> "))
    assert "is in the past" in reply and '"at ..."' in reply
    assert "`" not in reply


def test_log_records_are_one_line_without_sql(tmp_path: Path) -> None:
    path = tmp_path / "console.log"
    root = logging.getLogger()
    log_to_file(path)
    try:
        error = RuntimeError("(sqlite3.OperationalError) database is locked\n[SQL: INSERT INTO x]")
        logging.getLogger("bot.test").warning(
            "kudos not saved: %s", error, exc_info=error, extra={"kudos_id": 3}
        )
    finally:
        for handler in root.handlers:
            handler.close()
    (line,) = path.read_text().splitlines()
    assert (
        "WARNING bot.test: kudos not saved: (sqlite3.OperationalError) database is locked" in line
    )
    assert "SQL" not in line and "Traceback" not in line and "kudos_id=3" in line
