"""One scripted conversation on console, Slack (fake) and Discord (fake): same outcome.

Ana asks a question, asks one the bot cannot answer, gives kudos to Ben and
Cara, thanks Cara privately, looks at the leaderboard, tries to give herself
kudos and turns reminder DMs off. Each platform runs on its own fresh database
through its real adapter. Afterwards the rows (members, kudos, recipients,
reasons, thank-you notes, unanswered questions) and who was notified must be
identical once each platform's user ids are mapped back to the same three people.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from adapters.console.app import ConsoleApp, ConsoleSender
from adapters.console.translate import console_user
from adapters.discord.app import build_client
from adapters.slack.settings import SlackSettings
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.outbound import ChannelTarget, DeliveryKey, PostedMessage
from bot.replies import Message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient, Member, ThankYouNote, UnansweredQuestion
from tests.adapters.discord.conftest import discord_settings, run_interaction
from tests.adapters.discord.payloads import (
    KUDOS_CHANNEL_ID,
    command_interaction,
    option,
    sub_command,
    user_option,
)
from tests.adapters.slack.conftest import make_bot, serve
from tests.adapters.slack.support import SIGNING_SECRET, slash_command_body
from tests.e2e.parity_interactive import (
    FORM_REASON,
    InteractiveOutcome,
    console_form_and_click,
    discord_form_and_click,
    slack_form_and_click,
)
from tests.fakes import fake_discord, fake_slack
from tests.support.databases import open_database

PEOPLE = ("ana", "ben", "cara")
QUESTION = "When do mentoring applications close?"
UNANSWERED = "Where can I park my bike at the conference hotel?"
REASON = "for the storytime"
NOTE = "thank you for the book list"

DISCORD_USERS = {
    name: fake_discord.FakeUser(100000000000000001 + i, name, global_name=name.title())
    for i, name in enumerate(PEOPLE)
}
SLACK_USERS = {
    name: fake_slack.FakeUser(f"U{i + 1}", name, display_name=name.title())
    for i, name in enumerate(PEOPLE)
}


@dataclass
class Rows:
    """The database after the conversation, with user ids replaced by people."""

    kudos: list[tuple[str, tuple[str, ...], str]]
    notes: list[tuple[str, str, str, str]]
    members: list[tuple[str, str, bool, bool]]  # person, name, is_bot, reminders_opt_out
    workspaces: set[str]
    unanswered: list[tuple[str, str]]  # question, normalized


@dataclass
class Outcome:
    """What one platform's run left behind, in platform-neutral terms."""

    rows: Rows
    pinged_in_kudos_channel: list[tuple[str, ...]]
    direct_messages_to: list[str]
    replies: list[str] = field(default_factory=list)


async def _rows(database: Database, person_of: dict[str, str]) -> Rows:
    """Every row the conversation leaves, platform ids mapped back to people."""
    giver, recipient = aliased(Member), aliased(Member)
    async with database.session() as session:
        member_rows = (await session.scalars(select(Member))).all()
        unanswered_rows = (
            await session.execute(
                select(UnansweredQuestion.question, UnansweredQuestion.normalized)
            )
        ).all()
        kudos_rows = (
            await session.execute(
                select(Kudos.id, giver.user_id, Kudos.reason).join(
                    giver, Kudos.giver_id == giver.id
                )
            )
        ).all()
        recipient_rows = (
            await session.execute(
                select(KudosRecipient.kudos_id, Member.user_id).join(
                    Member, KudosRecipient.recipient_id == Member.id
                )
            )
        ).all()
        note_rows = (
            await session.execute(
                select(giver.user_id, recipient.user_id, ThankYouNote.note, ThankYouNote.status)
                .join(giver, ThankYouNote.giver_id == giver.id)
                .join(recipient, ThankYouNote.recipient_id == recipient.id)
            )
        ).all()
    kudos = [
        (
            person_of[giver_id],
            tuple(sorted(person_of[u] for k, u in recipient_rows if k == kudos_id)),
            reason,
        )
        for kudos_id, giver_id, reason in kudos_rows
    ]
    notes = [(person_of[g], person_of[r], note, status) for g, r, note, status in note_rows]
    members = [
        (person_of[m.user_id], m.display_name.lower(), m.is_bot, m.reminders_opt_out)
        for m in member_rows
    ]
    return Rows(
        kudos=sorted(kudos),
        notes=sorted(notes),
        members=sorted(members),
        workspaces={m.workspace_id for m in member_rows},
        unanswered=sorted((q, n) for q, n in unanswered_rows),
    )


# -- console --------------------------------------------------------------------------------


class NotificationRecordingConsole(ConsoleSender):
    """The console prints; this also notes whom each post would notify (its MentionSpans)."""

    def __init__(self, *, stdout: io.StringIO) -> None:
        super().__init__(stdout=stdout)
        self.kudos_pings: list[tuple[str, ...]] = []
        self.dm_recipients: list[str] = []

    async def post(
        self, *, target: ChannelTarget, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        posted = await super().post(target=target, message=message)
        if posted.channel_id == "#kudos":
            self.kudos_pings.append(tuple(sorted(u.user_id for u in message.mentioned_users())))
        return posted

    async def send_dm(
        self, *, user: UserRef, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        posted = await super().send_dm(user=user, message=message)
        self.dm_recipients.append(user.user_id)
        return posted


async def run_console(core: BotCore) -> Outcome:
    stdout = io.StringIO()
    sender = NotificationRecordingConsole(stdout=stdout)
    core.outbound = sender
    script = [
        QUESTION,
        UNANSWERED,
        f"/kudos @ben @cara {REASON}",
        f"/thanks @cara {NOTE}",
        "/kudos top",
        "/kudos @ana for being me",
        "/reminders off",
    ]
    app = ConsoleApp(
        core=core,
        user=console_user("ana"),
        stdin=io.StringIO("".join(line + "\n" for line in script)),
        stdout=stdout,
        interactive=False,
    )
    await app.run()
    return Outcome(
        rows=await _rows(core.database, {p: p for p in PEOPLE}),
        pinged_in_kudos_channel=sender.kudos_pings,
        direct_messages_to=sender.dm_recipients,
        replies=_console_replies(stdout.getvalue()),
    )


def _console_replies(output: str) -> list[str]:
    """Each ``bot>`` reply with its continuation lines (sender lines start with ``[``)."""
    replies: list[str] = []
    current: list[str] | None = None
    for line in output.splitlines():
        if line.startswith("bot> "):
            current = [line]
            replies.append("")
        elif line.startswith(("[", "Bye!")):
            current = None
        elif current is not None:
            current.append(line)
        if current is not None:
            replies[-1] = "\n".join(current)
    return replies


# -- Slack ----------------------------------------------------------------------------------


async def run_slack(core_parts: dict, database: Database) -> Outcome:
    ids = {name: user.id for name, user in SLACK_USERS.items()}
    person_of = {user_id: name for name, user_id in ids.items()}
    with fake_slack.FakeSlack(users=list(SLACK_USERS.values())) as fake:
        slack_settings = SlackSettings(  # type: ignore[call-arg]
            _env_file=None,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
            slack_kudos_channel="CKUDOS",
        )
        bot = await make_bot(slack_settings=slack_settings, database=database, **core_parts)
        replies: list[str] = []
        async for endpoint in serve(bot):
            for command, text in (
                ("/ask", QUESTION),
                ("/ask", UNANSWERED),
                ("/kudos", f"<@{ids['ben']}> <@{ids['cara']}> {REASON}"),
                ("/thanks", f"<@{ids['cara']}> {NOTE}"),
                ("/kudos", "top"),
                ("/kudos", f"<@{ids['ana']}> for being me"),
                ("/reminders", "off"),
            ):
                before = len(fake.responses())
                body = slash_command_body(command, text, response_url=fake.response_url())
                assert (await endpoint.command(body)).status == 200
                await fake.wait_for(lambda f, n=before: len(f.responses()) > n)
                replies.append(str(fake.responses()[-1].params["text"]))
        posts = fake.delivered("chat.postMessage")
        opened = fake.delivered("conversations.open")
    return Outcome(
        rows=await _rows(database, person_of),
        pinged_in_kudos_channel=[
            tuple(sorted(person_of[u] for u in set(re.findall(r"<@(U\w+)>", p.params["text"]))))
            for p in posts
            if p.params["channel"] == "CKUDOS"
        ],
        direct_messages_to=[person_of[str(o.params["users"])] for o in opened],
        replies=replies,
    )


# -- Discord --------------------------------------------------------------------------------


async def run_discord(core: BotCore) -> Outcome:
    users = DISCORD_USERS
    person_of = {str(user.id): name for name, user in users.items()}
    ana, ben, cara = users["ana"], users["ben"], users["cara"]
    original_base = discord.http.Route.BASE
    async with fake_discord.FakeDiscord(users=list(users.values())) as fake:
        discord.http.Route.BASE = fake.api_base
        client = build_client(settings=discord_settings())
        core.outbound = client.sender
        client.attach(core)
        try:
            await client.login("test-token")
            for payload in (
                command_interaction("ask", option("question", QUESTION), user=ana),
                command_interaction("ask", option("question", UNANSWERED), user=ana),
                command_interaction(
                    "kudos",
                    sub_command(
                        "give",
                        user_option("user", ben),
                        option("reason", REASON),
                        user_option("user2", cara),
                    ),
                    user=ana,
                    mentioned=(ben, cara),
                ),
                command_interaction(
                    "thanks",
                    user_option("user", cara),
                    option("note", NOTE),
                    user=ana,
                    mentioned=(cara,),
                ),
                command_interaction("kudos", sub_command("top"), user=ana),
                command_interaction(
                    "kudos",
                    sub_command("give", user_option("user", ana), option("reason", "for being me")),
                    user=ana,
                    mentioned=(ana,),
                ),
                command_interaction("reminders", sub_command("off"), user=ana),
            ):
                await run_interaction(client, payload)
        finally:
            await client.close()
            discord.http.Route.BASE = original_base
    followups = fake.calls("POST", f"/webhooks/{fake_discord.APPLICATION_ID}/")
    return Outcome(
        rows=await _rows(core.database, person_of),
        pinged_in_kudos_channel=[
            tuple(sorted(person_of[str(u)] for u in post.json["allowed_mentions"]["users"]))
            for post in fake.messages_in(KUDOS_CHANNEL_ID)
        ],
        direct_messages_to=[
            person_of[str(fake.dm_channels[int(call.path.split("/")[2])])]
            for call in fake.calls("POST", "/channels/")
            if int(call.path.split("/")[2]) in fake.dm_channels
        ],
        replies=[call.json["content"] for call in followups],
    )


# -- the test -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_same_conversation_same_outcome_on_every_platform(
    kind: str,
    tmp_path: Path,
    settings: Settings,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    outcomes: dict[str, Outcome] = {}
    for platform in ("console", "slack", "discord"):
        folder = tmp_path / platform
        folder.mkdir()
        async with open_database(kind, folder) as database:
            core_parts = {"settings": settings, "clock": clock, "knowledge": frozen_knowledge}
            if platform == "slack":
                outcomes[platform] = await run_slack(core_parts, database)
                continue
            core = BotCore(database=database, **core_parts)
            await core.start()
            runner = run_console if platform == "console" else run_discord
            outcomes[platform] = await runner(core)

    console = outcomes["console"]
    assert console.rows.kudos == [("ana", ("ben", "cara"), REASON)]
    assert console.rows.notes == [("ana", "cara", NOTE, "delivered")]
    assert console.rows.members == [
        ("ana", "ana", False, True),
        ("ben", "ben", False, False),
        ("cara", "cara", False, False),
    ]
    assert [question for question, _ in console.rows.unanswered] == [UNANSWERED]
    # the public post notifies the recipients and the giver; nobody else, no crowd
    assert console.pinged_in_kudos_channel == [("ana", "ben", "cara")]
    assert console.direct_messages_to == ["cara"]
    for platform in ("slack", "discord"):
        outcome = outcomes[platform]
        assert outcome.rows.kudos == console.rows.kudos, platform
        assert outcome.rows.notes == console.rows.notes, platform
        assert outcome.rows.members == console.rows.members, platform
        assert outcome.rows.unanswered == console.rows.unanswered, platform
        assert outcome.pinged_in_kudos_channel == console.pinged_in_kudos_channel, platform
        assert outcome.direct_messages_to == console.direct_messages_to, platform
    for outcome in outcomes.values():
        # Everyone is one member of one workspace (no separate "DM" copy of a person).
        assert len(outcome.rows.workspaces) == 1
        ask, unanswered, give, thanks, top, self_kudos, reminders = outcome.replies
        assert "October 11" in ask
        assert "I don't have an answer to that" in unanswered
        assert "Done!" in give
        assert "delivered privately" in thanks
        assert "ben" in top.lower() and "cara" in top.lower()
        assert "yourself" in self_kudos
        assert "I will not send you broadcast DMs" in reminders


# -- one form and one button on every platform --------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_one_form_and_one_button_same_outcome_on_every_platform(
    kind: str,
    tmp_path: Path,
    settings: Settings,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    """The kudos form (``/kudos`` alone) and the Undo under its confirmation.

    Ana fills the form for Ben; Ben presses her Undo (refused, nothing changes); Ana
    presses it (taken back, its post deleted). See :mod:`tests.e2e.parity_interactive`.
    """
    outcomes: dict[str, InteractiveOutcome] = {}
    for platform in ("console", "slack", "discord"):
        folder = tmp_path / platform
        folder.mkdir()
        async with open_database(kind, folder) as database:
            core_parts = {"settings": settings, "clock": clock, "knowledge": frozen_knowledge}
            if platform == "slack":
                outcomes[platform] = await slack_form_and_click(core_parts, database, _rows)
                continue
            core = BotCore(database=database, **core_parts)
            await core.start()
            run = console_form_and_click if platform == "console" else discord_form_and_click
            outcomes[platform] = await run(core, _rows)

    for platform, outcome in outcomes.items():
        assert outcome.form_fields == ["Who gets the kudos", "What they did"], platform
        assert outcome.kudos_after_form == [("ana", ("ben",), FORM_REASON)], platform
        assert outcome.undo_offered, platform
        assert "not one you gave" in outcome.wrong_member_reply, (platform, outcome)
        assert re.search(r"your kudos to \W*ben\W* is removed", outcome.undo_reply.lower()), (
            platform,
            outcome,
        )
        assert outcome.kudos_after_undo == 0, platform
        assert outcome.posts_deleted == 1, platform
