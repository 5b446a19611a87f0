"""Discord interactions and messages -> neutral Requests.

Only translation lives here: which command a member ran, who they named, and
whether they are staff. What the command means is the core's business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands

from bot.commands.spec import CommandNames
from bot.requests import (
    BLANKS,
    Arguments,
    ArgumentValue,
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

ChannelOption = app_commands.AppCommandChannel | app_commands.AppCommandThread


#: One option value as discord.py gives it: text, a number, a yes/no, a user, a
#: channel, several users (one member picker each), or ``None`` when left empty.
OptionValue = (
    str | int | bool | discord.abc.User | ChannelOption | Sequence[discord.abc.User] | None
)
UserLookup = Callable[[int], discord.abc.User | None]
#: The name of a server role, by id (``None`` when unknown).
RoleNames = Callable[[int], str | None]


def _no_role_names(role_id: int) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class Community:
    """What translation needs to know about the association's Discord setup.

    Attributes:
        staff_role_ids: Members holding any of these roles are staff.
        home_guild_id: The server direct messages belong to (the single configured
            one), so a member is the same member in DMs and in the server: one
            kudos history, one daily quota, one reminders choice.
        command_names: What the servers call each command (``DISCORD_COMMAND_NAMES``).
    """

    staff_role_ids: frozenset[str] = frozenset()
    home_guild_id: int | None = None
    command_names: CommandNames = field(default_factory=CommandNames)

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
        return self.add(self.mention_of(value))

    def mention_of(self, value: discord.abc.User | discord.Role | ChannelOption) -> Mention:
        """A member, role or channel Discord resolved, as a neutral mention."""
        if isinstance(value, discord.Role):
            return Mention(kind=MentionKind.GROUP, raw=f"@{value.name}")
        if isinstance(value, ChannelOption):
            # The same form as a channel typed in text: Discord shows <#id> as its name.
            return Mention(kind=MentionKind.CHANNEL, raw=f"<#{value.id}>", channel_id=str(value.id))
        user = user_ref(value, workspace_id=self.workspace_id)
        return Mention(kind=MentionKind.USER, raw=f"@{user.name}", user=user)

    def value_of(self, value: OptionValue) -> ArgumentValue:
        """A typed option as the core takes it: text with mention tokens, mentions, as is."""
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, str):
            return self.decode_text(value).strip(BLANKS) or None
        if isinstance(value, Sequence):  # one member picker per person
            return tuple(
                self.mention_of(user) for user in value if isinstance(user, discord.abc.User)
            )
        return self.mention_of(value)

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


def build_request(
    *,
    origin: Origin,
    command: str,
    community: Community,
    lookup: UserLookup,
    role_names: RoleNames = _no_role_names,
    text: str = "",
    subcommand: str | None = None,
    options: Mapping[str, OptionValue] | None = None,
) -> Request:
    """Assemble a Request from a message's text or an application command's options.

    Args:
        origin: Delivery id, guild, channel and author of the interaction or message.
        command: The core command name (``ask``, ``kudos``, ``thanks``...).
        community: Staff roles and the server direct messages belong to.
        lookup: Finds users named as ``<@id>`` inside member text.
        role_names: Names roles written as ``<@&id>`` inside member text.
        text: Member text (a message to the bot), read by the core like typed text.
        subcommand: The sub-command of an application command.
        options: The application command's options, keyed by the catalogue's names;
            passed to the core typed, as :class:`~bot.requests.Arguments`.
    """
    workspace_id = community.workspace_for(origin.guild_id)
    collector = _MentionCollector(workspace_id=workspace_id, lookup=lookup, role_names=role_names)
    arguments = None
    if options is not None:
        values = {name: collector.value_of(value) for name, value in options.items()}
        arguments = Arguments(subcommand, {k: v for k, v in values.items() if v is not None})
    return Request(
        platform=PLATFORM,
        workspace_id=workspace_id,
        channel_id=str(origin.channel_id) if origin.channel_id is not None else None,
        sender=user_ref(origin.author, workspace_id=workspace_id),
        command=command,
        text=collector.decode_text(text).strip(BLANKS),
        mentions=tuple(collector.mentions),
        delivery_id=origin.delivery_id,
        is_staff=is_staff(origin.author, community.staff_role_ids),
        is_direct=origin.guild_id is None,
        arguments=arguments,
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
        text=question,
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


@dataclass(frozen=True, slots=True)
class Sender:
    """Who clicked or submitted, where: what a click's or a form's request needs."""

    workspace_id: str
    channel_id: str | None
    user: UserRef
    is_staff: bool
    is_direct: bool
    delivery_id: str

    def request_fields(self) -> dict[str, Any]:
        """Keyword arguments for :func:`bot.actions.click_request` and ``form_request``."""
        return {
            "platform": PLATFORM,
            "workspace_id": self.workspace_id,
            "channel_id": self.channel_id,
            "sender": self.user,
            "delivery_id": self.delivery_id,
            "is_staff": self.is_staff,
            "is_direct": self.is_direct,
        }


def interaction_sender(interaction: discord.Interaction, community: Community) -> Sender:
    """The member behind a click or a form; the interaction id is the delivery id
    (a modal's submission then takes its opening's, see :mod:`adapters.discord.modals`)."""
    origin = interaction_origin(interaction)
    workspace_id = community.workspace_for(origin.guild_id)
    return Sender(
        workspace_id=workspace_id,
        channel_id=str(origin.channel_id) if origin.channel_id is not None else None,
        user=user_ref(origin.author, workspace_id=workspace_id),
        is_staff=is_staff(origin.author, community.staff_role_ids),
        is_direct=origin.guild_id is None,
        delivery_id=origin.delivery_id,
    )
