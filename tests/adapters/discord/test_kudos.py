"""/kudos and /thanks through the command tree: public posts, private notes, safe mentions."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.discord.app import MemberBotClient
from bot.commands.reminders import SUMMARY as REMINDERS_SUMMARY
from bot.core import BotCore
from bot.storage.models import KudosRecipient, ThankYouNote
from tests.adapters.discord.conftest import ANA, BEN, CARA, HELPER_BOT, run_interaction
from tests.adapters.discord.payloads import (
    GUILD_ID,
    INTEGER,
    KUDOS_CHANNEL_ID,
    STAFF_ROLE_ID,
    command_interaction,
    option,
    sub_command,
    user_option,
)
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord, FakeUser, RecordedRequest

EPHEMERAL = 64


async def _run(client: MemberBotClient, fake: FakeDiscord, payload: dict) -> RecordedRequest:
    """Run one interaction; return the (only) follow-up the member saw."""
    await run_interaction(client, payload)
    (followup,) = fake.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert followup.json["flags"] & EPHEMERAL
    return followup


def _give(*recipients: FakeUser, reason: str, user: FakeUser = ANA) -> dict:
    options = [user_option("user", recipients[0]), option("reason", reason)]
    options += [user_option(f"user{n}", r) for n, r in enumerate(recipients[1:], start=2)]
    return command_interaction(
        "kudos", sub_command("give", *options), user=user, mentioned=recipients
    )


async def _kudos_count(core: BotCore) -> int:
    async with core.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(KudosRecipient)) or 0)


async def test_kudos_to_two_colleagues_posts_in_the_kudos_channel(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    followup = await _run(
        client, fake_discord, _give(BEN, CARA, reason="for the storytime @everyone <@&42> loved")
    )
    assert "Done!" in followup.json["content"]
    assert "Ben Okafor" in followup.json["content"]
    assert followup.json["allowed_mentions"]["users"] == []

    (post,) = fake_discord.messages_in(KUDOS_CHANNEL_ID)
    content = post.json["content"]
    assert f"<@{BEN.id}>" in content and f"<@{CARA.id}>" in content
    assert "@everyone" not in content and "<@&42>" not in content  # shown, but inert
    assert post.json["allowed_mentions"]["parse"] == []
    assert set(post.json["allowed_mentions"]["users"]) == {BEN.id, CARA.id, ANA.id}
    assert await _kudos_count(core) == 2


async def test_a_reason_ending_in_a_mention_keeps_it_whole(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    await _run(client, fake_discord, _give(BEN, reason="for the party with @everyone"))
    (post,) = fake_discord.messages_in(KUDOS_CHANNEL_ID)
    content = post.json["content"]
    assert content.endswith("for the party with @\u2060everyone")  # shown, inert
    assert "\x1f" not in content
    assert post.json["allowed_mentions"]["parse"] == []


async def test_self_kudos_and_bots_are_refused_and_nothing_is_posted(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    self_kudos = await _run(client, fake_discord, _give(ANA, reason="for me"))
    assert "yourself" in self_kudos.json["content"]
    to_bot = await _run(client, fake_discord, _give(HELPER_BOT, reason="for the reminders"))
    assert "bot" in to_bot.json["content"]
    assert fake_discord.messages_in(KUDOS_CHANNEL_ID) == []
    assert await _kudos_count(core) == 0


async def test_thanks_creates_a_dm_channel_and_sends_the_note(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    payload = command_interaction(
        "thanks",
        user_option("user", CARA),
        option("note", "thank you for the book list!"),
        user=ANA,
        mentioned=(CARA,),
    )
    followup = await _run(client, fake_discord, payload)
    (opened,) = fake_discord.calls("POST", "/users/@me/channels")
    assert opened.json == {"recipient_id": CARA.id}
    (dm,) = fake_discord.dms_to(CARA.id)
    assert "book list" in dm.json["content"]
    assert dm.json["allowed_mentions"]["parse"] == []
    assert "delivered privately" in followup.json["content"]


async def test_thanks_to_a_member_with_closed_dms_tells_the_sender(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.closed_dms.add(BEN.id)
    payload = command_interaction(
        "thanks", user_option("user", BEN), option("note", "merci!"), user=ANA, mentioned=(BEN,)
    )
    followup = await _run(client, fake_discord, payload)
    assert "could not deliver your note" in followup.json["content"]
    assert fake_discord.dms_to(BEN.id) == []
    assert fake_discord.calls("POST", "/messages", status=403)
    # Nothing is lost: the note is kept, marked as not delivered and why.
    async with core.database.session() as session:
        (note,) = (await session.scalars(select(ThankYouNote))).all()
    assert (note.note, note.status, note.failure_reason) == ("merci!", "failed", "dms_closed")
    assert note.workspace_id == str(GUILD_ID)


async def test_leaderboard_mine_undo_and_help(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    await _run(client, fake_discord, _give(BEN, reason="for the puppets"))
    top = await _run(
        client,
        fake_discord,
        command_interaction("kudos", sub_command("top", option("period", "week")), user=CARA),
    )
    assert "Ben Okafor" in top.json["content"]
    assert top.json["allowed_mentions"]["users"] == []  # a leaderboard pings nobody

    mine = await _run(
        client, fake_discord, command_interaction("kudos", sub_command("mine"), user=BEN)
    )
    assert "puppets" in mine.json["content"]

    undo = await _run(
        client, fake_discord, command_interaction("kudos", sub_command("undo"), user=ANA)
    )
    assert "Ben Okafor" in undo.json["content"]
    (post,) = fake_discord.messages_in(KUDOS_CHANNEL_ID)
    (deleted,) = fake_discord.calls("DELETE", f"/channels/{KUDOS_CHANNEL_ID}/messages/")
    assert deleted.path.endswith(f"/{post.response_id}")
    assert await _kudos_count(core) == 0

    help_reply = await _run(
        client, fake_discord, command_interaction("kudos", sub_command("help"), user=ANA)
    )
    assert "/kudos top" in help_reply.json["content"]


async def test_staff_comes_from_the_members_roles(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    member = await _run(
        client, fake_discord, command_interaction("kudos", sub_command("digest"), user=BEN)
    )
    assert "staff only" in member.json["content"]
    staff = await _run(
        client,
        fake_discord,
        command_interaction("kudos", sub_command("digest"), user=BEN, roles=(STAFF_ROLE_ID,)),
    )
    assert "Kudos digest" in staff.json["content"]


async def test_server_only_commands_arriving_from_a_dm_do_nothing(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    # Discord hides them in DMs once synced; a stale registration could still send one.
    payload = _give(BEN, reason="for the puppets")
    dm = command_interaction(
        "kudos",
        *payload["data"]["options"],
        user=ANA,
        mentioned=(BEN,),
        guild_id=None,
        channel_id=555,
    )
    followup = await _run(client, fake_discord, dm)
    assert followup.json["content"] == (
        "/kudos give works in the server, not in direct messages. Nothing was done."
    )
    assert await _kudos_count(core) == 0
    assert fake_discord.messages_in(KUDOS_CHANNEL_ID) == []


async def test_staff_remove_a_kudos_and_its_post(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    await _run(client, fake_discord, _give(BEN, reason="for the puppets"))
    (post,) = fake_discord.messages_in(KUDOS_CHANNEL_ID)
    show = await _run(
        client,
        fake_discord,
        command_interaction(
            "kudos",
            sub_command("show", user_option("user", BEN)),
            user=CARA,
            mentioned=(BEN,),
            roles=(STAFF_ROLE_ID,),
        ),
    )
    assert "#1 " in show.json["content"]  # staff see the number to remove
    refused = await _run(
        client,
        fake_discord,
        command_interaction(
            "kudos", sub_command("remove", option("id", 1, kind=INTEGER)), user=BEN
        ),
    )
    assert "staff only" in refused.json["content"]
    assert await _kudos_count(core) == 1
    removed = await _run(
        client,
        fake_discord,
        command_interaction(
            "kudos",
            sub_command("remove", option("id", 1, kind=INTEGER)),
            user=CARA,
            roles=(STAFF_ROLE_ID,),
        ),
    )
    assert "Removed kudos #1" in removed.json["content"]
    (deleted,) = fake_discord.calls("DELETE", f"/channels/{KUDOS_CHANNEL_ID}/messages/")
    assert deleted.path.endswith(f"/{post.response_id}")
    assert await _kudos_count(core) == 0


async def test_kudos_help_shows_only_forms_discord_accepts(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    help_reply = await _run(
        client, fake_discord, command_interaction("kudos", sub_command("help"), user=ANA)
    )
    text = help_reply.json["content"]
    # one user option holds one person: several people are written with the option names
    assert "/kudos give user:@ana user2:@ben user3:@chris reason:for the Día booth" in text
    assert "@ana, @ben" not in text
    assert "**/kudos give @maria for running the sensory storytime**" in text


async def test_reminders_is_described_as_the_core_describes_it(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    (sync,) = fake_discord.calls("PUT", "/commands")
    (reminders,) = [command for command in sync.json if command["name"] == "reminders"]
    assert reminders["description"] == f"{REMINDERS_SUMMARY}."


async def test_a_reason_that_starts_with_a_mention_does_not_add_a_recipient(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    # The reason option is text: a colleague named in it is shown by name, and only
    # the member picker chooses who gets the kudos (it used to be read as a second one).
    payload = command_interaction(
        "kudos",
        sub_command(
            "give", user_option("user", BEN), option("reason", f"<@{CARA.id}> and I loved it")
        ),
        user=ANA,
        mentioned=(BEN, CARA),
    )
    followup = await _run(client, fake_discord, payload)
    assert "Done!" in followup.json["content"]
    assert await _kudos_count(core) == 1
    (post,) = fake_discord.messages_in(KUDOS_CHANNEL_ID)
    assert f"<@{BEN.id}>" in post.json["content"]
    assert f"<@{CARA.id}>" not in post.json["content"]
    notified = post.json["allowed_mentions"]["users"]
    assert BEN.id in notified and CARA.id not in notified
