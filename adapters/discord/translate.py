"""Discord interactions and messages -> neutral Requests.

Only translation lives here: which command a member ran, who they named, and
whether they are staff. What the command means is the core's business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import discord
from discord import app_commands

from bot.requests import (
    BLANKS,
    Mention,
    MentionKind,
    Request,
    UserRef,
    clean_member_text,
    mention_token,
)

PLATFORM = "discord"
#: The workspace of direct messages when no single home server is configured.
DM_WORKSPACE = "dm"

#: Everything in member text that Discord would treat as a mention.
_MENTION = re.compile(
    r"<@!?(?P<user>\d+)>|<@&(?P<role>\d+)>|<#(?P<channel>\d+)>|@(?P<crowd>everyone|here)\b"
)

#: A send time typed as an option: ``YYYY-MM-DD HH:MM`` (the core checks it is a real time).
_SEND_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}")

ChannelOption = app_commands.AppCommandChannel | app_commands.AppCommandThread


@dataclass(frozen=True, slots=True)
class SendTime:
    """An optional ``at`` option of /broadcast, passed to the core as ``at YYYY-MM-DD HH:MM``."""

    value: str | None


#: A command argument: member text, or an object Discord resolved from a typed option.
Part = str | discord.abc.User | discord.Role | ChannelOption | SendTime | None
UserLookup = Callable[[int], discord.abc.User | None]
#: The name of a server role, by id (``None`` when unknown).
RoleNames = Callable[[int], str | None]


def _no_role_names(role_id: int) -> str | None:
    return None


class OptionError(ValueError):
    """A typed option the core could not read as meant; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class Community:
    """What translation needs to know about the association's Discord setup.

    Attributes:
        staff_role_ids: Members holding any of these roles are staff.
        home_guild_id: The server direct messages belong to (the single configured
            one), so a member is the same member in DMs and in the server: one
            kudos history, one daily quota, one reminders choice.
    """

    staff_role_ids: frozenset[str] = frozenset()
    home_guild_id: int | None = None

    def workspace_for(self, guild_id: int | None) -> str:
        """The neutral workspace: the server; for DMs the home server, else ``"dm"``."""
        if guild_id is not None:
            return str(guild_id)
        return str(self.home_guild_id) if self.home_guild_id is not None else DM_WORKSPACE


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a command or message came from, independent of its kind."""

    delivery_id: str
    guild_id: int | None
    channel_id: int | None
    author: discord.abc.User


def user_ref(user: discord.abc.User, *, workspace_id: str) -> UserRef:
    """A neutral reference to a Discord user; identity is the numeric id, never the name."""
    return UserRef(
        platform=PLATFORM,
        workspace_id=workspace_id,
        user_id=str(user.id),
        display_name=user.display_name,
        is_bot=bool(user.bot),
    )


def role_ids_of(user: discord.abc.User) -> frozenset[str]:
    """The role ids a guild member holds (empty for users outside a guild)."""
    if not isinstance(user, discord.Member):
        return frozenset()
    # Member.roles resolves ids through the guild's role cache, which is empty for
    # guilds the client has not received over the gateway; the ids are always there.
    return frozenset(str(role_id) for role_id in user._roles)


def is_staff(user: discord.abc.User, staff_role_ids: frozenset[str]) -> bool:
    return bool(staff_role_ids and role_ids_of(user) & staff_role_ids)


class _MentionCollector:
    """Builds ``Request.text`` and ``Request.mentions`` together, keeping indexes in step."""

    def __init__(
        self, *, workspace_id: str, lookup: UserLookup, role_names: RoleNames = _no_role_names
    ) -> None:
        self.workspace_id = workspace_id
        self.lookup = lookup
        self.role_names = role_names
        self.mentions: list[Mention] = []

    def add(self, mention: Mention) -> str:
        self.mentions.append(mention)
        return mention_token(len(self.mentions) - 1)

    def add_object(self, value: discord.abc.User | discord.Role | ChannelOption) -> str:
        if isinstance(value, discord.Role):
            return self.add(Mention(kind=MentionKind.GROUP, raw=f"@{value.name}"))
        if isinstance(value, ChannelOption):
            # The same form as a channel typed in text: Discord shows <#id> as its name.
            return self.add(
                Mention(kind=MentionKind.CHANNEL, raw=f"<#{value.id}>", channel_id=str(value.id))
            )
        user = user_ref(value, workspace_id=self.workspace_id)
        return self.add(Mention(kind=MentionKind.USER, raw=f"@{user.name}", user=user))

    def decode_text(self, text: str) -> str:
        """Replace every mention syntax in member text with a mention token."""
        return _MENTION.sub(self._replace, clean_member_text(text))

    def _replace(self, match: re.Match[str]) -> str:
        raw = match.group(0)
        if match.group("user"):
            found = self.lookup(int(match.group("user")))
            if found is None:
                return self.add(Mention(kind=MentionKind.UNKNOWN_USER, raw=raw))
            return self.add_object(found)
        if match.group("role"):
            # Shown to members (refusals, broadcast text) as a name, never as raw syntax.
            name = self.role_names(int(match.group("role")))
            return self.add(Mention(kind=MentionKind.GROUP, raw=f"@{name or 'role'}"))
        if match.group("channel"):
            # Discord shows <#id> as the channel's name, so it stays in that form.
            channel_id = match.group("channel")
            return self.add(Mention(kind=MentionKind.CHANNEL, raw=raw, channel_id=channel_id))
        return self.add(Mention(kind=MentionKind.EVERYONE, raw=raw))


def send_time_text(option: SendTime) -> str:
    """``at YYYY-MM-DD HH:MM`` for the core, or ``at now`` when left empty (so a message
    that itself starts with "At 6pm ..." is never read as a send time).

    Raises:
        OptionError: The value is not shaped like a date and time. Checked here because
            the core would otherwise read unrecognised words as the start of the message.
    """
    if option.value is None or not option.value.strip():
        return "at now"
    value = " ".join(option.value.split())
    if not _SEND_TIME.fullmatch(value):
        raise OptionError(
            f"'{value[:40]}' is not a send time. Write it as YYYY-MM-DD HH:MM "
            "(24-hour clock, organisation time), e.g. 2026-12-07 09:00. Nothing was scheduled."
        )
    return f"at {value}"


def build_request(
    *,
    origin: Origin,
    command: str,
    parts: Sequence[Part],
    community: Community,
    lookup: UserLookup,
    role_names: RoleNames = _no_role_names,
) -> Request:
    """Assemble a Request from command parts, in the order the member gave them.

    Args:
        origin: Delivery id, guild, channel and author of the interaction or message.
        command: The core command name (``ask``, ``kudos``, ``thanks``...).
        parts: Typed option values; ``None`` (an optional option left empty) is skipped.
        community: Staff roles and the server direct messages belong to.
        lookup: Finds users named as ``<@id>`` inside member text.
        role_names: Names roles written as ``<@&id>`` inside member text.

    Raises:
        OptionError: A typed option cannot be passed on as the member meant it.
    """
    workspace_id = community.workspace_for(origin.guild_id)
    collector = _MentionCollector(workspace_id=workspace_id, lookup=lookup, role_names=role_names)
    pieces: list[str] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, SendTime):
            pieces.append(send_time_text(part))
        elif isinstance(part, str):
            decoded = collector.decode_text(part).strip(BLANKS)
            if decoded:
                pieces.append(decoded)
        else:
            pieces.append(collector.add_object(part))
    return Request(
        platform=PLATFORM,
        workspace_id=workspace_id,
        channel_id=str(origin.channel_id) if origin.channel_id is not None else None,
        sender=user_ref(origin.author, workspace_id=workspace_id),
        command=command,
        text=" ".join(pieces),
        mentions=tuple(collector.mentions),
        delivery_id=origin.delivery_id,
        is_staff=is_staff(origin.author, community.staff_role_ids),
        is_direct=origin.guild_id is None,
    )


def interaction_origin(interaction: discord.Interaction) -> Origin:
    """The interaction id is the delivery id: a double-submitted command acts once."""
    return Origin(
        delivery_id=str(interaction.id),
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
        author=interaction.user,
    )


def interaction_lookup(interaction: discord.Interaction) -> UserLookup:
    """Find users named as ``<@id>`` in option text: the guild's members, then the user cache."""
    guild = interaction.guild

    def lookup(user_id: int) -> discord.abc.User | None:
        if guild is not None and (member := guild.get_member(user_id)) is not None:
            return member
        return interaction.client.get_user(user_id)

    return lookup


def interaction_role_names(interaction: discord.Interaction) -> RoleNames:
    """Names of the interaction's server roles (from the guild cache)."""
    guild = interaction.guild

    def role_name(role_id: int) -> str | None:
        role = guild.get_role(role_id) if guild is not None else None
        return role.name if role is not None else None

    return role_name


def translate_message(
    message: discord.Message, *, bot_user: discord.abc.User, community: Community
) -> Request | None:
    """A DM to the bot, or a guild message mentioning it, as a question for ``/ask``.

    Returns ``None`` for messages the bot should not answer: its own and other
    bots' messages, guild messages that do not mention it, and empty questions.
    """
    if message.author.bot:
        return None
    guild_id = message_guild_id(message)
    is_direct = guild_id is None
    if not is_direct and not any(user.id == bot_user.id for user in message.mentions):
        return None
    own_mention = re.compile(rf"<@!?{bot_user.id}>")
    question = own_mention.sub(" ", message.content).strip()
    if not question:
        return None
    known = {user.id: user for user in _mentioned(message.mentions, exclude=bot_user.id)}
    return build_request(
        origin=Origin(
            delivery_id=str(message.id),
            guild_id=guild_id,
            channel_id=message.channel.id,
            author=message.author,
        ),
        command="ask",
        parts=[question],
        community=community,
        lookup=known.get,
    )


def message_guild_id(message: discord.Message) -> int | None:
    """The message's guild id, also for guilds not (yet) in the client's cache."""
    if message.guild is not None:
        return message.guild.id
    return getattr(message.channel, "guild_id", None)


def _mentioned(users: Iterable[discord.abc.User], *, exclude: int) -> list[discord.abc.User]:
    return [user for user in users if user.id != exclude]
