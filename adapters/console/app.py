"""The console chat: a read-eval-print loop over injected text streams.

:class:`ConsoleAdapter` is what :class:`bot.runner.Runner` drives for
``memberbot console``. In a terminal: line editing and history (readline),
Ctrl-C leaves at once (the runner's SIGINT handler stops the chat),
messages that arrive meanwhile are printed above the prompt, and only known
members can be mentioned (:mod:`adapters.console.roster`). With streams that are
not a terminal (a pipe, the tests) it reads and answers line by line.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO, TypeVar

from adapters.console.inbox import ConsoleInbox
from adapters.console.interactive import (
    Choice,
    ConsoleInteractions,
    choices_from,
    choices_line,
)
from adapters.console.render import render_text
from adapters.console.roster import ConsoleRoster
from adapters.console.terminal import PROMPT, LineReader, Terminal
from adapters.console.translate import PLATFORM, translate_line
from bot.actions import Action
from bot.core import BotCore
from bot.errors import DeliveryError
from bot.outbound import DEFAULT_PACE, ChannelTarget, DeliveryKey, PostedMessage
from bot.replies import Attachment, Message, Reply
from bot.requests import MentionKind, UserRef, clean_member_text

log = logging.getLogger(__name__)

__all__ = ["PROMPT", "ConsoleAdapter", "ConsoleApp", "ConsoleSender"]

BANNER = (
    "memberbot console: ask a question, or try /help, /deadlines, /kudos help. "
    "Ctrl-D, Ctrl-C or /quit to leave."
)
GOODBYE = "Bye!"
_T = TypeVar("_T")
#: ``_until_stopped`` returns this when the member left (Ctrl-C) before the work ended.
_STOPPED = object()


class ConsoleSender:
    """Outbound sender that prints what would be posted or sent as a DM.

    A post's or DM's actions are printed as numbered choices under it, as a reply's
    are; ``on_choices`` (set by the chat) makes them pressable by typing the number.
    """

    platform = PLATFORM
    default_pace = DEFAULT_PACE  # printing has no rate limit
    # One terminal, no shared conversation: the core words a DM for each person.
    group_dm_shared = False

    def __init__(
        self,
        *,
        stdout: TextIO,
        channels: dict[str, str] | None = None,
        terminal: Terminal | None = None,
    ) -> None:
        self._stdout = stdout
        # Posts and DMs may come from the background (broadcasts, reminders): in a
        # terminal they go above the prompt, which is drawn again.
        self.terminal = terminal
        self._channels = channels or {
            "kudos": "#kudos",
            "announcements": "#announcements",
            "staff": "#staff",  # where Ask someone passes questions on
        }
        self._ids = itertools.count(1)
        self.deleted: list[PostedMessage] = []
        self.on_choices: Callable[[list[Choice]], None] | None = None

    async def post(
        self,
        *,
        target: ChannelTarget,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        channel = target.channel_id or (
            self._channels.get(target.purpose.value) if target.purpose else None
        )
        channel = channel or target.fallback_channel_id
        if not channel:
            raise DeliveryError("no channel to post to", permanent=True, reason="no_channel")
        posted = PostedMessage(
            platform=PLATFORM, channel_id=channel, message_id=str(next(self._ids))
        )
        self._write(f"[posted in {channel}] {render_text(message)}")
        self._offer(actions)
        return posted

    async def send_dm(
        self,
        *,
        user: UserRef,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        if user.is_bot:
            raise DeliveryError(
                f"{user.name} is a bot and takes no DMs", permanent=True, reason="bot_recipient"
            )
        posted = PostedMessage(
            platform=PLATFORM, channel_id=f"dm:{user.user_id}", message_id=str(next(self._ids))
        )
        self._write(f"[DM to @{user.name}] {render_text(message)}")
        self._offer(actions)
        return posted

    async def send_group_dm(
        self,
        *,
        users: tuple[UserRef, ...],
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> tuple[PostedMessage, ...]:
        """Printed once, addressed to everyone in ``users``."""
        for user in users:
            if user.is_bot:
                raise DeliveryError(
                    f"{user.name} is a bot and takes no DMs", permanent=True, reason="bot_recipient"
                )
        channel = "dm:" + ",".join(user.user_id for user in users)
        posted = PostedMessage(
            platform=PLATFORM, channel_id=channel, message_id=str(next(self._ids))
        )
        names = ", ".join(f"@{user.name}" for user in users)
        self._write(f"[group DM to {names}] {render_text(message)}")
        self._offer(actions)
        return (posted,)

    async def delete(self, *, posted: PostedMessage) -> None:
        self.deleted.append(posted)
        self._write(f"[deleted message {posted.message_id} in {posted.channel_id}]")

    async def list_members(self) -> list[UserRef]:
        # The console has no directory: its members are whoever has used it (in the database).
        return []

    def _offer(self, actions: tuple[Action, ...]) -> None:
        """List the message's choices under it, and let the chat press them."""
        choices = choices_from(actions)
        if not choices:
            return
        self._write(choices_line(choices))
        if self.on_choices is not None:
            self.on_choices(choices)

    def _write(self, text: str) -> None:
        if self.terminal is not None:
            self.terminal.announce(text)
            return
        self._stdout.write(text + "\n")
        self._stdout.flush()


class ConsoleApp:
    """Reads lines from ``stdin``, answers on ``stdout``; tests inject both.

    Args:
        roster: The members that can be mentioned; ``None`` takes every ``@name``
            as a member (tests that script several people).
        terminal: Where to write; built from ``stdout`` when not given.
        reader: Where lines come from; built from ``stdin`` when not given.
        banner: The first lines shown.
    """

    def __init__(
        self,
        *,
        core: BotCore,
        user: UserRef,
        stdin: TextIO,
        stdout: TextIO,
        is_staff: bool = False,
        interactive: bool = True,
        files_dir: Path = Path("."),
        roster: ConsoleRoster | None = None,
        terminal: Terminal | None = None,
        reader: LineReader | None = None,
        banner: str = BANNER,
    ) -> None:
        self.core = core
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.is_staff = is_staff
        self.interactive = interactive
        self.files_dir = files_dir
        self.roster = roster
        self.terminal = terminal or Terminal(stdout, interactive=interactive)
        self.reader = reader or LineReader(stdin, self.terminal)
        self.banner = banner
        self._leave = asyncio.Event()
        self.interactions = ConsoleInteractions(
            user=user,
            is_staff=is_staff,
            handle=core.handle,
            read=self.reader.read,
            write=self._write,
            member=roster.member if roster is not None else None,
            refresh=roster.refresh if roster is not None else None,
        )
        if isinstance(core.outbound, ConsoleSender):
            # Buttons on what the bot posts or DMs here are pressed like a reply's.
            core.outbound.on_choices = self.interactions.offer_posted

    def leave(self) -> None:
        """End the chat at once, even mid-line or mid-answer (Ctrl-C)."""
        self._leave.set()

    async def run(self) -> None:
        self._write(self.banner)
        while True:
            line = await self._until_stopped(self.reader.read())
            if line is _STOPPED:
                self._write("")  # off the prompt line the member was typing on
                break
            if line is None or str(line).strip() in {"/quit", "/exit"}:
                break
            if await self._until_stopped(self.handle_line(str(line))) is _STOPPED:
                break
        self.reader.save_history()
        self._write(GOODBYE)

    async def handle_line(self, line: str) -> None:
        picked = self.interactions.picked(line)
        if isinstance(picked, str):
            self._write(picked)
            return
        if picked is not None:
            await self._show(await self.interactions.press(picked))
            return
        self.interactions.forget()  # any other line: the choices shown are gone
        if self.roster is not None and "@" in line:
            await self.roster.refresh()  # someone may have joined in another console
        request = translate_line(
            line,
            sender=self.user,
            is_staff=self.is_staff,
            member=self.roster.member if self.roster is not None else None,
        )
        if request is None:
            return
        unknown = [m.raw for m in request.mentions if m.kind is MentionKind.UNKNOWN_USER]
        if unknown and request.command != "ask" and self.roster is not None:
            # The line as cleaned for the request: raw bytes that are not UTF-8 cannot be shown.
            typed = clean_member_text(line)
            self._write("bot> " + unknown_members_reply(unknown, self.roster, typed))
            return
        await self._show(await self.core.handle(request))

    async def _show(self, reply: Reply | None) -> None:
        """Print a reply and number its choices; a form is asked first, field by field."""
        while reply is not None and reply.form is not None:
            reply = await self.interactions.fill(reply.form)
        if reply is None:
            return
        self._write("bot> " + render_text(reply.message))
        for attachment in reply.attachments:
            self._write(f"[file saved: {self._save(attachment)}]")
        self.interactions.offer(reply)

    async def _until_stopped(self, work: Awaitable[_T]) -> _T | object:
        """``work``'s result, or ``_STOPPED`` if the member left first (it is cancelled)."""
        task = asyncio.ensure_future(work)
        leaving = asyncio.ensure_future(self._leave.wait())
        try:
            await asyncio.wait({task, leaving}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            leaving.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return _STOPPED

    def _save(self, attachment: Attachment) -> Path:
        """A terminal cannot show a file: write it where the member can open it."""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / Path(attachment.filename).name
        path.write_bytes(attachment.data)
        return path

    def _write(self, text: str) -> None:
        self.terminal.write(text)


def unknown_members_reply(unknown: list[str], roster: ConsoleRoster, line: str) -> str:
    """Refuse names the console does not know, saying who it does know, and keep the line."""
    names = " and ".join(dict.fromkeys(unknown))
    first = unknown[0].lstrip("@")
    return (
        f"I don't know {names} — in this console you can mention {', '.join(roster.names())}. "
        f"Check the spelling, or have them join first (memberbot console --as {first} on the "
        f"same database). Nothing was sent. You typed: {line.strip()}"
    )


class ConsoleAdapter:
    """The terminal chat for the runner: one member, answers and posts printed.

    Args:
        user: The member chatting (``--as``).
        stdin: Where lines come from.
        stdout: Where answers go.
        terminal: Writes to ``stdout`` (above the prompt, in a terminal).
        reader: Reads lines from ``stdin`` (with history, in a terminal).
        is_staff: The member acts as staff (``--staff``).
        interactive: ``stdin`` and ``stdout`` are a terminal.
        files_dir: Where attachments are saved.
        banner: The first lines shown.
    """

    def __init__(
        self,
        *,
        user: UserRef,
        stdin: TextIO,
        stdout: TextIO,
        terminal: Terminal,
        reader: LineReader,
        is_staff: bool = False,
        interactive: bool = True,
        files_dir: Path = Path("."),
        banner: str = BANNER,
    ) -> None:
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.terminal = terminal
        self.reader = reader
        self.is_staff = is_staff
        self.interactive = interactive
        self.files_dir = files_dir
        self.banner = banner
        self.sender = ConsoleSender(stdout=stdout, terminal=terminal)

    async def open(self) -> ConsoleSender:
        return self.sender

    async def serve(
        self, core: BotCore, *, stop: asyncio.Event, started: Callable[[], None]
    ) -> None:
        """Chat until the member leaves (Ctrl-D, /quit) or ``stop`` is set (Ctrl-C)."""
        roster = ConsoleRoster(core.database, me=self.user)
        await roster.join(core.now())
        # Kudos and notes given to this member in another console are shown here.
        inbox = ConsoleInbox(core.database, self.user, self.terminal.announce)
        await inbox.start()
        app = ConsoleApp(
            core=core,
            user=self.user,
            stdin=self.stdin,
            stdout=self.stdout,
            is_staff=self.is_staff,
            interactive=self.interactive,
            files_dir=self.files_dir,
            roster=roster,
            terminal=self.terminal,
            reader=self.reader,
            banner=self.banner,
        )
        # Broadcasts, reminders and knowledge reloads run as they do on Slack and Discord.
        started()
        helpers = [asyncio.create_task(inbox.run()), asyncio.create_task(_leave_on(stop, app))]
        try:
            await app.run()
        finally:
            for task in helpers:
                task.cancel()
            await asyncio.wait(helpers)

    async def close(self) -> None:
        """Nothing to release: the terminal stays as it was."""


async def _leave_on(stop: asyncio.Event, app: ConsoleApp) -> None:
    await stop.wait()
    app.leave()
