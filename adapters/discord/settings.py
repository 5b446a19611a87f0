"""Discord adapter settings, read once from the environment / ``.env``."""

from __future__ import annotations

from pydantic import Field, field_validator

from adapters.discord.translate import Community
from bot.commands.catalogue import default_catalogue
from bot.commands.spec import CommandNames, parse_command_names
from bot.config import EnvSettings, load_settings, parse_id_list

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
#: The same words pydantic's "missing" error becomes (bot.config), so a blank token reads alike.
REQUIRED_BUT_NOT_SET = "is required but not set (see .env.example)"


def _check_snowflakes(value: str, *, what: str) -> str:
    for part in parse_id_list(value):
        if not part.isdigit():
            raise ValueError(
                f"'{part}' is not a Discord {what} id (a number like 123456789012345678)"
            )
    return value


class DiscordSettings(EnvSettings):
    """Everything ``memberbot run discord`` needs besides the core settings.

    Attributes:
        discord_token: The bot token from the Developer Portal (Bot page).
        discord_guild_ids: Comma-separated servers to sync commands to (instantly);
            empty syncs globally (can take up to an hour to appear). With exactly
            one server, direct messages to the bot count as that server's.
        discord_api_base: REST base; point it at a local fake Discord for testing.
        discord_gateway_url: Gateway websocket URL, used instead of Discord's.
        discord_kudos_channel_id: Where public kudos are posted (else where typed).
        discord_announcements_channel_id: Where broadcasts and reminders go.
        discord_staff_channel_id: Where questions members pass on (Ask someone,
            /ask-staff) are posted.
        discord_mentoring_thread_channel_id: A text channel where each mentoring pair
            is introduced in a private thread of its own (the bot needs Create Private
            Threads and Send Messages in Threads there); empty: a DM to each person.
        discord_staff_role_ids: Members holding any of these roles are staff.
        discord_sharded: Use discord.py's AutoShardedClient (large communities).
        discord_message_content: Request the privileged Message Content intent.
            Not needed for answering DMs and @mentions (Discord delivers their
            content anyway); off by default.
        discord_members_intent: List guild members for broadcasts (needs the
            privileged Server Members intent enabled in the Developer Portal).
    """

    discord_token: str
    discord_guild_ids: str = ""
    discord_api_base: str = DEFAULT_API_BASE
    discord_gateway_url: str = DEFAULT_GATEWAY_URL
    discord_kudos_channel_id: str = ""
    discord_announcements_channel_id: str = ""
    discord_staff_channel_id: str = ""
    discord_mentoring_thread_channel_id: str = ""
    discord_staff_role_ids: str = ""
    discord_command_names: str = Field(
        default="",
        description="Renamed commands, e.g. kudos:props (help is /bothelp unless renamed).",
    )
    discord_sharded: bool = False
    discord_message_content: bool = False
    discord_members_intent: bool = False

    @field_validator("discord_token")
    @classmethod
    def _token_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(REQUIRED_BUT_NOT_SET)
        return value.strip()

    @field_validator("discord_guild_ids")
    @classmethod
    def _guild_ids(cls, value: str) -> str:
        return _check_snowflakes(value, what="server")

    @field_validator("discord_command_names")
    @classmethod
    def _command_names(cls, value: str) -> str:
        parse_command_names(value, default_catalogue())  # refused at start, not on first use
        return value

    @field_validator("discord_staff_role_ids")
    @classmethod
    def _role_ids(cls, value: str) -> str:
        return _check_snowflakes(value, what="role")

    @field_validator(
        "discord_kudos_channel_id",
        "discord_announcements_channel_id",
        "discord_staff_channel_id",
        "discord_mentoring_thread_channel_id",
    )
    @classmethod
    def _channel_id(cls, value: str) -> str:
        value = value.strip()
        if value and not value.isdigit():
            raise ValueError(f"'{value}' is not a Discord channel id (a number)")
        return value

    @field_validator("discord_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' is not an http(s) URL like {DEFAULT_API_BASE}")
        return value

    @field_validator("discord_gateway_url")
    @classmethod
    def _gateway_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("ws://", "wss://")):
            raise ValueError(f"'{value}' is not a websocket URL like {DEFAULT_GATEWAY_URL}")
        return value

    @property
    def guild_ids(self) -> tuple[int, ...]:
        return tuple(sorted(int(part) for part in parse_id_list(self.discord_guild_ids)))

    @property
    def staff_role_ids(self) -> frozenset[str]:
        return parse_id_list(self.discord_staff_role_ids)

    @property
    def home_guild_id(self) -> int | None:
        """The server direct messages belong to: the configured one, if there is exactly one."""
        return self.guild_ids[0] if len(self.guild_ids) == 1 else None

    @property
    def community(self) -> Community:
        """What translating interactions and messages needs from the settings."""
        return Community(
            staff_role_ids=self.staff_role_ids,
            home_guild_id=self.home_guild_id,
            command_names=self.command_names,
        )

    @property
    def command_names(self) -> CommandNames:
        """What the servers call each command."""
        return parse_command_names(self.discord_command_names, default_catalogue())

    @property
    def gateway_overridden(self) -> bool:
        """Whether DISCORD_GATEWAY_URL points somewhere other than Discord's gateway."""
        return self.discord_gateway_url != DEFAULT_GATEWAY_URL

    @property
    def channel_ids(self) -> dict[str, str]:
        """Configured channel id per :class:`bot.outbound.ChannelPurpose` value."""
        channels = {
            "kudos": self.discord_kudos_channel_id,
            "announcements": self.discord_announcements_channel_id,
            "staff": self.discord_staff_channel_id,
        }
        return {purpose: channel for purpose, channel in channels.items() if channel}


def load_discord_settings(**overrides: object) -> DiscordSettings:
    """Read and validate the Discord settings; raises ConfigError naming the variable."""
    return load_settings(DiscordSettings, **overrides)
