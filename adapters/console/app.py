"""The console chat: a read-eval-print loop over injected text streams."""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path
from typing import TextIO

from adapters.console.render import render_text
from adapters.console.translate import PLATFORM, translate_line
from bot.core import BotCore
from bot.errors import DeliveryError
from bot.outbound import DEFAULT_PACE, ChannelTarget, PostedMessage
from bot.replies import Attachment, Message
from bot.requests import UserRef

log = logging.getLogger(__name__)

PROMPT = "you> "
BANNER = (
    "memberbot console: ask a question, or try /help, /deadlines, /kudos help. "
    "Ctrl-D or /quit to leave."
)


class ConsoleSender:
    """Outbound sender that prints what would be posted or sent as a DM."""

    platform = PLATFORM
    default_pace = DEFAULT_PACE  # printing has no rate limit

    def __init__(self, *, stdout: TextIO, channels: dict[str, str] | None = None) -> None:
        self._stdout = stdout
        self._channels = channels or {"kudos": "#kudos", "announcements": "#announcements"}
        self._ids = itertools.count(1)
        self.deleted: list[PostedMessage] = []

    async def post(self, *, target: ChannelTarget, message: Message) -> PostedMessage:
        channel = target.channel_id or (
            self._channels.get(target.purpose.value) if target.purpose else None
        )
        channel = channel or target.fallback_channel_id
        if not channel:
            raise DeliveryError("no channel to post to", permanent=True)
        posted = PostedMessage(
            platform=PLATFORM, channel_id=channel, message_id=str(next(self._ids))
        )
        self._write(f"[posted in {channel}] {render_text(message)}")
        return posted

    async def send_dm(self, *, user: UserRef, message: Message) -> PostedMessage:
        if user.is_bot:
            raise DeliveryError(f"{user.name} is a bot and takes no DMs", permanent=True)
        posted = PostedMessage(
            platform=PLATFORM, channel_id=f"dm:{user.user_id}", message_id=str(next(self._ids))
        )
        self._write(f"[DM to @{user.name}] {render_text(message)}")
        return posted

    async def delete(self, *, posted: PostedMessage) -> None:
        self.deleted.append(posted)
        self._write(f"[deleted message {posted.message_id} in {posted.channel_id}]")

    async def list_members(self) -> list[UserRef]:
        # The console has no directory: its members are whoever has used it (in the database).
        return []

    def _write(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()


class ConsoleApp:
    """Reads lines from ``stdin``, answers on ``stdout``; tests inject both."""

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
    ) -> None:
        self.core = core
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.is_staff = is_staff
        self.interactive = interactive
        self.files_dir = files_dir

    async def run(self) -> None:
        self._write(BANNER)
        while True:
            if self.interactive:
                self.stdout.write(PROMPT)
                self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line or line.strip() in {"/quit", "/exit"}:
                break
            await self.handle_line(line)
        self._write("Bye!")

    async def handle_line(self, line: str) -> None:
        request = translate_line(line, sender=self.user, is_staff=self.is_staff)
        if request is None:
            return
        reply = await self.core.handle(request)
        if reply is None:
            return
        self._write("bot> " + render_text(reply.message))
        for attachment in reply.attachments:
            self._write(f"[file saved: {self._save(attachment)}]")

    def _save(self, attachment: Attachment) -> Path:
        """A terminal cannot show a file: write it where the member can open it."""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / Path(attachment.filename).name
        path.write_bytes(attachment.data)
        return path

    def _write(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
