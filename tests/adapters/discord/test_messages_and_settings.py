"""Mentions and DMs answered as questions; translation details; settings and start-up."""

from __future__ import annotations

import logging

import discord
import pytest
from sqlalchemy import select

from adapters.discord import app as discord_app
from adapters.discord.app import MemberBotClient
from adapters.discord.settings import DiscordSettings
from adapters.discord.translate import Community
from bot.cli import main as cli_main
from bot.config import load_settings
from bot.core import BotCore
from bot.errors import ConfigError
from bot.requests import MentionKind
from bot.storage.models import Member
from tests.adapters.discord.conftest import ANA, BEN, settle
from tests.adapters.discord.payloads import (
    CHANNEL_ID,
    GUILD_ID,
    STAFF_ROLE_ID,
    member_payload,
)
from tests.fakes.fake_discord import BOT_ID, BOT_USER, FakeDiscord, FakeUser

_ids = iter(range(1400000000000000000, 1500000000000000000))


def message_create(
    content: str, *, author: FakeUser, mentions: tuple[FakeUser, ...] = (), guild: bool = True
) -> dict:
    payload = {
        "id": str(next(_ids)),
        "channel_id": str(CHANNEL_ID),
        "author": author.as_discord(),
        "content": content,
        "timestamp": "2026-11-23T15:00:00.000000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": "@everyone" in content,
        "mentions": [u.as_discord() for u in mentions],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }
    if guild:
        payload["guild_id"] = str(GUILD_ID)
        payload["member"] = {k: v for k, v in member_payload(author).items() if k != "user"}
    return payload


async def _feed(client: MemberBotClient, payload: dict) -> None:
    client._connection.parse_message_create(payload)
    await settle()


async def test_a_mention_of_the_bot_is_answered_in_the_channel(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    await _feed(
        client,
        message_create(
            f"<@{BOT_ID}> when do mentoring applications close? @everyone",
            author=ANA,
            mentions=(BOT_USER,),
        ),
    )
    (answer,) = fake_discord.messages_in(CHANNEL_ID)
    assert "October 11" in answer.json["content"]
    assert answer.json["allowed_mentions"]["parse"] == []
    assert answer.json["allowed_mentions"]["replied_user"] is False
    assert int(answer.json["message_reference"]["channel_id"]) == CHANNEL_ID


async def test_guild_chatter_without_a_mention_and_bot_messages_are_ignored(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    await _feed(client, message_create("when is the mixer?", author=ANA))
    await _feed(client, message_create(f"<@{BOT_ID}> hi", author=BOT_USER, mentions=(BOT_USER,)))
    assert fake_discord.calls("POST", "/messages") == []


async def test_a_direct_message_is_a_question_without_the_message_content_intent(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    # Discord delivers the content of DMs (and of mentions) to every bot.
    assert not client.intents.message_content
    await _feed(
        client, message_create("When do mentoring applications close?", author=BEN, guild=False)
    )
    (answer,) = fake_discord.messages_in(CHANNEL_ID)
    assert "October 11" in answer.json["content"]
    assert answer.json["allowed_mentions"]["parse"] == []
    # With one configured server, a DM is that server's member: one member, not two.
    async with core.database.session() as session:
        members = (await session.execute(select(Member.workspace_id, Member.user_id))).all()
    assert members == [(str(GUILD_ID), str(BEN.id))]


async def test_message_translation_decodes_mentions_roles_and_crowds(
    client: MemberBotClient,
) -> None:
    from adapters.discord.translate import translate_message

    payload = message_create(
        f"<@{BOT_ID}> is <@{BEN.id}> in <@&{STAFF_ROLE_ID}>? ask @here or <@123> \x1f0\x1f",
        author=ANA,
        mentions=(BOT_USER, BEN),
    )
    channel = client.get_partial_messageable(CHANNEL_ID, guild_id=GUILD_ID)
    message = discord.Message(state=client._connection, channel=channel, data=payload)
    request = translate_message(
        message,
        bot_user=client.user,
        community=Community(staff_role_ids=frozenset({str(STAFF_ROLE_ID)})),
    )
    assert request is not None
    assert request.workspace_id == str(GUILD_ID)
    assert request.delivery_id == payload["id"]
    assert [m.kind for m in request.mentions] == [
        MentionKind.USER,
        MentionKind.GROUP,
        MentionKind.EVERYONE,
        MentionKind.UNKNOWN_USER,
    ]
    assert request.mentions[0].user is not None
    assert request.mentions[0].user.user_id == str(BEN.id)
    assert "\x1f0\x1f" not in request.text.split("\x1f3\x1f")[1]  # forged token stripped
    assert not request.is_staff


def test_settings_name_the_missing_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(ConfigError) as missing:
        load_settings(DiscordSettings, _env_file=None)
    assert str(missing.value) == "DISCORD_TOKEN: is required but not set (see .env.example)"
    for blank in ("", "   "):
        monkeypatch.setenv("DISCORD_TOKEN", blank)
        with pytest.raises(ConfigError) as empty:
            load_settings(DiscordSettings, _env_file=None)
        assert str(empty.value) == str(missing.value)
    monkeypatch.delenv("DISCORD_TOKEN")
    with pytest.raises(ConfigError, match="DISCORD_GUILD_IDS"):
        load_settings(DiscordSettings, _env_file=None, discord_token="t", discord_guild_ids="abc")


def test_settings_parse_ids_and_channels() -> None:
    settings = DiscordSettings(  # type: ignore[call-arg]
        _env_file=None,
        discord_token=" t ",
        discord_guild_ids="2, 1",
        discord_kudos_channel_id="5",
        discord_api_base="http://127.0.0.1:9/api/v10/",
    )
    assert settings.discord_token == "t"
    assert settings.guild_ids == (1, 2)
    assert settings.channel_ids == {"kudos": "5"}
    assert settings.discord_api_base == "http://127.0.0.1:9/api/v10"


def test_run_without_a_token_prints_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    # run() sets up logging to this test's captured stderr; later tests must not log there.
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    assert cli_main(["run", "discord"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DISCORD_TOKEN" in err[0]


def test_endpoints_come_from_settings() -> None:
    import discord

    original_base = discord.http.Route.BASE
    original_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        discord_app.configure_endpoints(
            DiscordSettings(  # type: ignore[call-arg]
                _env_file=None,
                discord_token="t",
                discord_api_base="http://127.0.0.1:1/api/v10",
                discord_gateway_url="ws://127.0.0.1:2/",
            )
        )
        assert discord.http.Route.BASE == "http://127.0.0.1:1/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:2/"
    finally:
        discord.http.Route.BASE = original_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = original_gateway


def test_sharded_setting_picks_the_auto_sharded_client() -> None:
    from adapters.discord.app import ShardedMemberBotClient, build_client
    from tests.adapters.discord.conftest import discord_settings

    client = build_client(settings=discord_settings(discord_sharded=True))
    assert isinstance(client, ShardedMemberBotClient)
    assert not client.intents.members and not client.intents.message_content
    asked = build_client(settings=discord_settings(discord_message_content=True))
    assert asked.intents.message_content


def test_direct_messages_belong_to_the_single_configured_server() -> None:
    one = discord_settings_for(guilds=f"{GUILD_ID}")
    assert one.home_guild_id == GUILD_ID
    assert one.community.workspace_for(None) == str(GUILD_ID)
    assert one.community.workspace_for(42) == "42"
    # With several servers (or none configured) a DM cannot say whose member it is.
    for guilds in (f"{GUILD_ID}, 42", ""):
        settings = discord_settings_for(guilds=guilds)
        assert settings.home_guild_id is None
        assert settings.community.workspace_for(None) == "dm"


def discord_settings_for(*, guilds: str) -> DiscordSettings:
    return DiscordSettings(_env_file=None, discord_token="t", discord_guild_ids=guilds)  # type: ignore[call-arg]


async def test_message_text_and_names_are_cleaned_as_the_request_is_built(
    client: MemberBotClient,
) -> None:
    from adapters.discord.translate import translate_message

    # A display name and a question with a right-to-left override and a lone surrogate.
    author = FakeUser(990000000000000001, "eve", global_name="Eve\u202e \ud800")
    payload = message_create(
        f"<@{BOT_ID}> what is \u202eaiD\u202c? \ud800", author=author, mentions=(BOT_USER,)
    )
    channel = client.get_partial_messageable(CHANNEL_ID, guild_id=GUILD_ID)
    message = discord.Message(state=client._connection, channel=channel, data=payload)
    request = translate_message(message, bot_user=client.user, community=Community())
    assert request is not None
    assert request.text == "what is aiD? \ufffd"
    assert request.sender.display_name == "Eve \ufffd"
