"""Slack settings, under the names Bolt apps usually use."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from bot.commands.catalogue import default_catalogue
from bot.commands.spec import CommandNames, parse_command_names
from bot.config import EnvSettings, parse_id_list

DEFAULT_API_URL = "https://slack.com/api/"


class SlackSettings(EnvSettings):
    """Everything ``memberbot run slack`` reads besides the core settings.

    Socket Mode is used when ``SLACK_APP_TOKEN`` is set; otherwise the bot serves
    HTTP on ``PORT`` and needs ``SLACK_SIGNING_SECRET`` to verify requests.
    """

    slack_bot_token: str = Field(description="Bot token (xoxb-...).")
    slack_signing_secret: str = Field(default="", description="Verifies HTTP requests.")
    slack_app_token: str = Field(default="", description="App-level token (xapp-...).")
    slack_api_url: str = DEFAULT_API_URL
    port: int = Field(default=3000, ge=0, le=65535, description="HTTP port; 0 picks a free one.")
    slack_kudos_channel: str = ""
    slack_announcements_channel: str = ""
    #: Where questions members pass on (Ask someone, /ask-staff) are posted.
    slack_staff_channel: str = ""
    slack_staff_user_ids: str = ""
    slack_staff_usergroup_id: str = ""
    slack_command_names: str = Field(
        default="",
        description="Renamed slash commands, e.g. kudos:props (help is /bothelp unless renamed).",
    )

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("is required but empty (the Bot User OAuth Token, xoxb-...)")
        if not value.startswith("xoxb-"):
            raise ValueError("must be the Bot User OAuth Token, which starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp- (or be left empty)")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_command_names")
    @classmethod
    def _command_names(cls, value: str) -> str:
        parse_command_names(value, default_catalogue())  # refused at start, not on first use
        return value

    @model_validator(mode="after")
    def _secret_for_http(self) -> SlackSettings:
        if not self.slack_app_token and not self.slack_signing_secret.strip():
            raise ValueError(
                "SLACK_SIGNING_SECRET is required in HTTP mode "
                "(or set SLACK_APP_TOKEN to use Socket Mode)"
            )
        return self

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def staff_user_ids(self) -> frozenset[str]:
        return parse_id_list(self.slack_staff_user_ids)

    @property
    def channels(self) -> dict[str, str]:
        """Configured channel ids keyed by ``ChannelPurpose`` value."""
        configured = {
            "kudos": self.slack_kudos_channel.strip(),
            "announcements": self.slack_announcements_channel.strip(),
            "staff": self.slack_staff_channel.strip(),
        }
        return {purpose: channel for purpose, channel in configured.items() if channel}

    @property
    def command_names(self) -> CommandNames:
        """What members type for each command in this workspace."""
        return parse_command_names(self.slack_command_names, default_catalogue())
