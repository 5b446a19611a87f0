"""DiscordSender: the core's OutboundSender, delivering through discord.py's REST client.

Exactly once on Discord: every message sent with a :class:`~bot.outbound.DeliveryKey`
carries a nonce derived from the key (one per part of a long message), and
discord.py sends it with ``enforce_nonce: true``. Discord then answers a repeat
within a few minutes with the message it already created instead of posting it
again, so a send whose answer was lost (the connection dropped after Discord
accepted it) is simply sent again, at once, with the same nonce. The core
resumes unfinished sends within that window (a one-minute dispatcher lease, a
two-minute note and kudos-post lease).

A group message (a mentoring pair's introduction) goes to a private thread of its
own when ``DISCORD_MENTORING_THREAD_CHANNEL_ID`` is set (:mod:`adapters.discord.threads`),
else as a DM to each member.

Commands a message names (:class:`~bot.replies.CommandSpan`) are written as Discord's
menus show them (``/unanswered answer id``), as in replies. A message's actions ride
on its last part as components, rendered as under a reply
(:func:`adapters.discord.components.actions_view`): their custom ids are the
encoded references, so a click reaches the one dispatcher
(:mod:`adapters.discord.clicks`) whenever it comes, before or after a restart.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets

import aiohttp
import discord
from discord.types.member import MemberWithUser

from adapters.discord.components import actions_view
from adapters.discord.render import render_chunks
from adapters.discord.settings import DiscordSettings
from adapters.discord.threads import PairThreads, warn_threads_refused
from adapters.discord.translate import PLATFORM
from bot.actions import Action
from bot.commands.catalogue import default_catalogue
from bot.commands.naming import structured_form, with_command_forms
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import ChannelTarget, DeliveryKey, Pace, PostedMessage, member_key
from bot.replies import Message, Reply
from bot.requests import UserRef

log = logging.getLogger(__name__)

#: Discord's JSON error code for "Cannot send messages to this user" (DMs closed, blocked).
CANNOT_DM_USER = 50007
#: Discord's JSON error codes for a channel or user that does not exist.
UNKNOWN_CHANNEL = 10003
UNKNOWN_USER = 10013
#: Discord's limit on a nonce's length.
MAX_NONCE_LENGTH = 25
#: Sends of one part of a keyed message when the answer was lost (same nonce each time).
SEND_TRIES = 3
#: The most members Discord returns per page of ``GET /guilds/{id}/members``.
MEMBERS_PAGE = 1000
#: Several message ids (one per chunk of a long message) share one PostedMessage.
ID_SEPARATOR = ","
#: Broadcast pace under ``auto``. Discord allows a bot 50 requests/s in all, a DM
#: costs up to two (open the DM channel, send), and 429 answers count towards its
#: invalid-request limit (10,000 per 10 minutes, then a temporary ban): so pace
#: ahead of the limit rather than waiting out 429s.
DISCORD_PACE = Pace(max_per_second=20.0, concurrency=8)


def delivery_error(error: Exception, *, what: str) -> DeliveryError:
    """Map a discord.py or network failure to a DeliveryError with a reason from the set."""
    if isinstance(error, discord.Forbidden):
        if error.code == CANNOT_DM_USER:
            return DeliveryError(
                f"{what}: member does not accept DMs", reason=DeliveryReason.DMS_CLOSED
            )
        return DeliveryError(
            f"{what}: missing access ({error.text})",
            reason=DeliveryReason.FORBIDDEN,
            detail=str(error.code),
        )
    if isinstance(error, discord.NotFound):
        reason = {
            UNKNOWN_CHANNEL: DeliveryReason.CHANNEL_GONE,
            UNKNOWN_USER: DeliveryReason.RECIPIENT_GONE,
        }.get(error.code, DeliveryReason.NOT_FOUND)
        return DeliveryError(
            f"{what}: not found ({error.text})", reason=reason, detail=str(error.code)
        )
    if isinstance(error, discord.RateLimited):
        return DeliveryError(f"{what}: rate limited", reason=DeliveryReason.RATE_LIMITED)
    if isinstance(error, discord.HTTPException):
        if error.status >= 500:
            reason = DeliveryReason.PLATFORM_ERROR
        elif error.status == 429:
            reason = DeliveryReason.RATE_LIMITED
        elif error.status == 400:
            reason = DeliveryReason.INVALID_MESSAGE
        else:
            reason = DeliveryReason.REFUSED
        return DeliveryError(
            f"{what}: Discord answered {error.status}",
            reason=reason,
            detail=f"http_{error.status}",
        )
    if isinstance(error, aiohttp.ClientConnectorError):  # never connected: nothing sent
        return DeliveryError(
            f"{what}: {type(error).__name__}",
            reason=DeliveryReason.UNREACHABLE,
            detail=type(error).__name__,
        )
    return DeliveryError(
        f"{what}: {type(error).__name__}; it may have arrived",
        reason=DeliveryReason.UNCONFIRMED,
        detail=type(error).__name__,
    )


def nonce_for(key: DeliveryKey, part: int) -> str:
    """The nonce of one part of a keyed message: stable, at most 25 characters."""
    nonce = f"mb{key.value}.{part}"
    if len(nonce) <= MAX_NONCE_LENGTH:
        return nonce
    return "mb" + hashlib.sha256(nonce.encode()).hexdigest()[: MAX_NONCE_LENGTH - 2]


#: Failures after which a keyed part is sent again at once with its nonce: the
#: answer was lost. (discord.py itself already retries 5xx answers.)
_RESEND_WITH_NONCE = frozenset({DeliveryReason.UNCONFIRMED})

_DELIVERY_FAILURES = (
    discord.HTTPException,
    discord.RateLimited,
    aiohttp.ClientError,
    OSError,
    asyncio.TimeoutError,
)


class DiscordSender:
    """Posts to channels and DMs members on behalf of the core."""

    platform = PLATFORM
    default_pace = DISCORD_PACE

    def __init__(self, *, client: discord.Client, settings: DiscordSettings) -> None:
        self._client = client
        self._settings = settings
        self._command_form = structured_form(default_catalogue(), settings.command_names)
        channel_id = settings.discord_mentoring_thread_channel_id
        self._threads = (
            PairThreads(
                client=client,
                channel_id=int(channel_id),
                failure=lambda error, what: delivery_error(error, what=what),
                failures=_DELIVERY_FAILURES,
            )
            if channel_id
            else None
        )
        #: Bots cannot open group DMs: a private thread the members share when a channel
        #: for them is configured (and Discord lets the bot make one), else a DM to each.
        self.group_dm_shared = self._threads is not None

    async def post(
        self,
        *,
        target: ChannelTarget,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        channel_id = self._channel_for(target)
        channel = self._client.get_partial_messageable(int(channel_id))
        what = f"post to channel {channel_id}"
        ids = await self._send(channel, message, what=what, key=key, actions=actions)
        return PostedMessage(
            platform=PLATFORM, channel_id=channel_id, message_id=ID_SEPARATOR.join(ids)
        )

    async def send_dm(
        self,
        *,
        user: UserRef,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        if user.platform != PLATFORM or not user.user_id.isdigit():
            raise DeliveryError(
                f"{user.name} is not a Discord member", reason=DeliveryReason.RECIPIENT_GONE
            )
        if user.is_bot:
            raise DeliveryError(
                f"{user.name} is a bot and takes no DMs", reason=DeliveryReason.BOT_RECIPIENT
            )
        what = f"DM to user {user.user_id}"
        try:
            channel = await self._client.create_dm(discord.Object(id=int(user.user_id)))
        except _DELIVERY_FAILURES as error:
            raise delivery_error(error, what=what) from error
        ids = await self._send(channel, message, what=what, key=key, actions=actions)
        return PostedMessage(
            platform=PLATFORM, channel_id=str(channel.id), message_id=ID_SEPARATOR.join(ids)
        )

    async def send_group_dm(
        self,
        *,
        users: tuple[UserRef, ...],
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> tuple[PostedMessage, ...]:
        """One message in a private thread of ``users`` when threads are shared, else a DM
        to each of ``users``, each with its own nonce derived from ``key``.

        Raises:
            DeliveryError: FORBIDDEN when Discord will not let the bot make the thread
                (nothing was sent; a warning names the channel and the permissions, and
                threads are not offered again this run, so the caller DMs each person).
        """
        if self._threads is not None and self.group_dm_shared:
            return (await self._send_in_thread(self._threads, users, message, key, actions),)
        return tuple(
            [
                await self.send_dm(
                    user=user, message=message, key=member_key(key, user), actions=actions
                )
                for user in users
            ]
        )

    async def _send_in_thread(
        self,
        threads: PairThreads,
        users: tuple[UserRef, ...],
        message: Message,
        key: DeliveryKey | None,
        actions: tuple[Action, ...],
    ) -> PostedMessage:
        try:
            thread = await threads.open(users, key=key)
        except DeliveryError as error:
            if error.reason == DeliveryReason.FORBIDDEN:
                self.group_dm_shared = False  # one warning; each person by DM from now on
                warn_threads_refused(threads.channel_id, error)
            raise
        channel_id = str(thread.thread_id)
        if thread.last_message_id:  # an earlier attempt posted it, its answer lost
            return PostedMessage(
                platform=PLATFORM, channel_id=channel_id, message_id=thread.last_message_id
            )
        channel = self._client.get_partial_messageable(thread.thread_id)
        what = f"post in thread {channel_id}"
        ids = await self._send(channel, message, what=what, key=key, actions=actions)
        return PostedMessage(
            platform=PLATFORM, channel_id=channel_id, message_id=ID_SEPARATOR.join(ids)
        )

    async def delete(self, *, posted: PostedMessage) -> None:
        for message_id in posted.message_id.split(ID_SEPARATOR):
            try:
                await self._client.http.delete_message(int(posted.channel_id), int(message_id))
            except discord.NotFound:
                log.info(
                    "message already gone",
                    extra={"channel": posted.channel_id, "message": message_id},
                )
            except _DELIVERY_FAILURES as error:
                raise delivery_error(error, what=f"delete message {message_id}") from error

    async def list_members(self) -> list[UserRef]:
        """Human members of the configured servers (or every server the bot is in).

        Discord lists members only to bots with the privileged Server Members
        intent (DISCORD_MEMBERS_INTENT). Without it there is no directory to read,
        so the list is empty, as on the console, and the core's audience is the
        members it already knows (everyone who has used the bot); a warning says so.

        Raises:
            DeliveryError: Listing was possible but failed (network, Discord error),
                so the caller does not act on a partial list.
        """
        guild_ids = self._settings.guild_ids or tuple(guild.id for guild in self._client.guilds)
        if not self._settings.discord_members_intent:
            log.warning(
                "DISCORD_MEMBERS_INTENT is off: Discord gives no member list, so broadcasts "
                "reach the members who have used the bot",
                extra={"guilds": list(guild_ids)},
            )
            return []
        members: list[UserRef] = []
        for guild_id in guild_ids:
            try:
                members.extend(await self._fetch_guild_members(guild_id))
            except _DELIVERY_FAILURES as error:
                raise delivery_error(error, what=f"list members of server {guild_id}") from error
        return members

    def _channel_for(self, target: ChannelTarget) -> str:
        configured = (
            self._settings.channel_ids.get(target.purpose.value) if target.purpose else None
        )
        channel_id = target.channel_id or configured or target.fallback_channel_id
        if not channel_id or not channel_id.isdigit():
            raise DeliveryError(
                f"no Discord channel to post to (purpose {target.purpose})",
                reason=DeliveryReason.NO_CHANNEL,
            )
        return channel_id

    async def _send(
        self,
        channel: discord.abc.Messageable,
        message: Message,
        *,
        what: str,
        key: DeliveryKey | None,
        actions: tuple[Action, ...] = (),
    ) -> list[str]:
        ids: list[str] = []
        chunks = render_chunks(with_command_forms(Reply(message), self._command_form).message)
        view = actions_view(actions)
        for part, chunk in enumerate(chunks):
            nonce = nonce_for(key, part) if key else None
            last = part == len(chunks) - 1
            for attempt in range(1, (SEND_TRIES if key else 1) + 1):
                try:
                    sent = await channel.send(
                        chunk.content,
                        allowed_mentions=chunk.allowed_mentions,
                        # Keyless: a random nonce, as discord.py would pick (typed str | int).
                        nonce=nonce if nonce is not None else secrets.randbits(64),
                        # Components ride on the last part, as under a reply.
                        view=view if last and view is not None else discord.utils.MISSING,
                    )
                    break
                except _DELIVERY_FAILURES as error:
                    failure = delivery_error(error, what=what)
                    resend = failure.reason in _RESEND_WITH_NONCE and attempt < SEND_TRIES
                    if nonce is None or not resend:
                        raise failure from error
                    # Discord drops a repeat of this nonce, answering with the first message.
                    log.warning(
                        "Discord answer lost; sending again with the same nonce",
                        extra={"what": what, "nonce": nonce, "error": repr(error)},
                    )
            ids.append(str(sent.id))
        return ids

    async def _fetch_guild_members(self, guild_id: int) -> list[UserRef]:
        members: list[UserRef] = []
        after: int | None = None
        while True:
            page = await self._client.http.get_members(guild_id, MEMBERS_PAGE, after)
            members.extend(_member_ref(payload, guild_id=guild_id) for payload in page)
            if len(page) < MEMBERS_PAGE:
                break
            after = int(page[-1]["user"]["id"])
        return [member for member in members if not member.is_bot]


def _member_ref(payload: MemberWithUser, *, guild_id: int) -> UserRef:
    user = payload["user"]
    name = payload.get("nick") or user.get("global_name") or user.get("username") or str(user["id"])
    return UserRef(
        platform=PLATFORM,
        workspace_id=str(guild_id),
        user_id=str(user["id"]),
        display_name=name,
        is_bot=bool(user.get("bot", False)),
    )
