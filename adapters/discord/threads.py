"""Private threads for the messages a few members share (mentoring introductions).

With ``DISCORD_MENTORING_THREAD_CHANNEL_ID`` set, :class:`~adapters.discord.sender.DiscordSender`
answers a group message (the one introduction of a mentoring pair) with a private
thread in that channel, named for the members ("Mentoring: Ana & Ben"), the members
added, and the message posted there once. Discord bots cannot open group DMs; a
private thread is the conversation the pair can share.

Exactly once: the message itself carries the key's nonce, as every keyed send does.
A thread is made once per key: when an earlier attempt may have made it (the key's
``maybe_sent``, or the answer to creating it was lost), the channel's active threads
are read first and the bot's thread of the same name is used again. If it holds a
message already, that is the introduction (posted right after the members were
added, before either had reason to write there), and nothing is posted again.

Discord refuses private threads (403) when the bot lacks Create Private Threads or
Send Messages in Threads in the channel (or cannot see it): one warning names the
channel and the permissions, the sender stops offering shared threads for this run,
and the refusal goes back as :attr:`~bot.errors.DeliveryReason.FORBIDDEN`, on which
the core introduces each person by DM instead, worded for each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import discord

from adapters.discord.translate import PLATFORM
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import DeliveryKey
from bot.requests import UserRef

log = logging.getLogger(__name__)

#: Discord's limit on a thread's name.
MAX_THREAD_NAME = 100
#: Discord's channel type of a private thread.
PRIVATE_THREAD: Final = 12
#: A quiet thread is archived (hidden, not deleted) after a week; a message reopens it.
ARCHIVE_AFTER_MINUTES: Final = 10080
#: Creations of one thread when the answer was lost (each after looking for it first).
CREATE_TRIES = 3
#: What the bot needs in the channel to introduce a pair in a private thread.
THREAD_PERMISSIONS = "Create Private Threads and Send Messages in Threads"

#: Maps a discord.py or network failure to a DeliveryError (the sender's mapping).
FailureMapper = Callable[[Exception, str], DeliveryError]


def thread_name(users: tuple[UserRef, ...], *, prefix: str = "Mentoring") -> str:
    """The thread's name, e.g. "Mentoring: Ana & Ben", within Discord's 100 characters."""
    names = [" ".join(user.name.split()) for user in users]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]
    name = f"{prefix}: {joined}"
    return name if len(name) <= MAX_THREAD_NAME else name[: MAX_THREAD_NAME - 1] + "…"


@dataclass(frozen=True, slots=True)
class PairThread:
    """A private thread the members are in, and its latest message if it has one already."""

    thread_id: int
    last_message_id: str | None = None


class PairThreads:
    """Finds or makes the private thread of a few members in one channel."""

    def __init__(
        self,
        *,
        client: discord.Client,
        channel_id: int,
        failure: FailureMapper,
        failures: tuple[type[Exception], ...],
    ) -> None:
        self.channel_id = channel_id
        self._client = client
        self._failure = failure
        self._failures = failures
        self._guild_id: int | None = None
        #: Threads made by this process, per key: a repeat of the key needs no lookup.
        self._made: dict[str, int] = {}

    async def open(self, users: tuple[UserRef, ...], *, key: DeliveryKey | None) -> PairThread:
        """The thread for ``users`` (made once per key), with every member in it.

        Raises:
            DeliveryError: Discord refused or failed; FORBIDDEN when the bot may not
                make private threads in the channel (logged once, by the caller).
        """
        for user in users:
            if user.platform != PLATFORM or not user.user_id.isdigit():
                raise DeliveryError(
                    f"{user.name} is not a Discord member", reason=DeliveryReason.RECIPIENT_GONE
                )
            if user.is_bot:
                raise DeliveryError(f"{user.name} is a bot", reason=DeliveryReason.BOT_RECIPIENT)
        name = thread_name(users)
        what = f"private thread in channel {self.channel_id}"
        thread = await self._existing(name, key) if key and key.maybe_sent else None
        tries = CREATE_TRIES if key else 1
        for attempt in range(1, tries + 1):
            if thread is not None:
                break
            try:
                thread = PairThread(int((await self._create(name))["id"]))
            except self._failures as error:
                failure = self._failure(error, what)
                if failure.reason != DeliveryReason.UNCONFIRMED or attempt == tries:
                    raise failure from error
                # Discord may have made it before the connection dropped: look first.
                log.warning(
                    "Discord answer lost while creating a thread; looking for it",
                    extra={"channel": self.channel_id, "error": repr(error)},
                )
                thread = await self._existing(name, key)
        assert thread is not None
        if key is not None:
            self._made[key.value] = thread.thread_id
        for user in users:  # idempotent: a member already in it stays
            try:
                await self._client.http.add_user_to_thread(thread.thread_id, int(user.user_id))
            except self._failures as error:
                what_failed = f"add member {user.user_id} to {what}"
                raise self._failure(error, what_failed) from error
        return thread

    async def _create(self, name: str) -> dict[str, Any]:
        created = await self._client.http.start_thread_without_message(
            self.channel_id,
            name=name,
            auto_archive_duration=ARCHIVE_AFTER_MINUTES,
            type=PRIVATE_THREAD,
            invitable=False,  # only the pair (and moderators) in it
        )
        return dict(created)

    async def _existing(self, name: str, key: DeliveryKey | None) -> PairThread | None:
        """The bot's active private thread for this key (made by this process) or of this
        name in the channel (made by an earlier attempt anywhere), if there is one."""
        made = self._made.get(key.value) if key else None
        what = f"look for threads of channel {self.channel_id}"
        try:
            guild_id = await self._guild()
            active = await self._client.http.get_active_threads(guild_id)
        except self._failures as error:
            raise self._failure(error, what) from error
        me = self._client.user.id if self._client.user else None
        for thread in active.get("threads", []):
            if str(thread.get("id")) == str(made) or (
                str(thread.get("parent_id")) == str(self.channel_id)
                and thread.get("type") == PRIVATE_THREAD
                and thread.get("name") == name
                and (me is None or str(thread.get("owner_id")) == str(me))
            ):
                log.info(
                    "private thread made by an earlier attempt used again",
                    extra={"channel": self.channel_id, "thread": thread["id"]},
                )
                # A message there is the one this key sends (posted as soon as the
                # members were added): an earlier attempt got that far.
                last = thread.get("last_message_id")
                return PairThread(int(thread["id"]), str(last) if last else None)
        # Archived since (a quiet week): posting reopens it; the nonce stops a repeat.
        return PairThread(made) if made is not None else None

    async def _guild(self) -> int:
        """The server of the channel (active threads are listed per server)."""
        if self._guild_id is None:
            channel: Mapping[str, Any] = await self._client.http.get_channel(self.channel_id)
            if not str(channel.get("guild_id") or "").isdigit():
                raise DeliveryError(
                    f"channel {self.channel_id} is not a server channel",
                    reason=DeliveryReason.NO_CHANNEL,
                )
            self._guild_id = int(channel["guild_id"])
        return self._guild_id


def warn_threads_refused(channel_id: int, error: DeliveryError) -> None:
    """The one warning when Discord will not let the bot introduce pairs in private threads."""
    log.warning(
        "cannot introduce mentoring pairs in a private thread in channel %s: Discord answered "
        "%s (%s); the bot needs %s there, and the members must see the channel. Each person "
        "gets the introduction by DM instead",
        channel_id,
        error.detail or error.reason,
        error,
        THREAD_PERMISSIONS,
        extra={"channel": channel_id, "missing_permission": THREAD_PERMISSIONS},
    )
