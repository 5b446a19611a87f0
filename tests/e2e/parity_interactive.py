"""One form and one button on console, Slack (fake) and Discord (fake), for the parity test.

Ana opens the kudos form (``/kudos`` with nothing after it), picks Ben and says
why; the confirmation carries **Undo**. Ben presses Ana's Undo (refused), then Ana
presses it (the kudos is taken back and its post deleted). Each platform runs
through its real adapter on its own database; :class:`InteractiveOutcome` is what
the test compares.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from sqlalchemy import select

from adapters.console.app import ConsoleApp
from adapters.console.interactive import Choice, ConsoleInteractions
from adapters.console.translate import console_user
from adapters.discord.app import build_client
from adapters.slack.settings import SlackSettings
from bot.actions import ActionRef
from bot.core import BotCore
from bot.storage import Database
from bot.storage.models import Kudos
from tests.adapters.discord.conftest import discord_settings, run_interaction
from tests.adapters.discord.payloads import (
    CHANNEL_ID,
    GUILD_ID,
    KUDOS_CHANNEL_ID,
    command_interaction,
    sub_command,
)
from tests.adapters.slack.conftest import make_bot, serve
from tests.adapters.slack.interactive_support import (
    block_actions,
    button_values,
    send,
    view_submission,
)
from tests.adapters.slack.support import SIGNING_SECRET, slash_command_body
from tests.fakes import fake_discord, fake_slack
from tests.fakes.fake_discord_interactions import (
    button_id,
    click,
    modal_submit,
    sent_message,
    text_input,
    user_select,
)

FORM_REASON = "for the book fair"
FIELD_LABELS = ("Who gets the kudos", "What they did")
#: Reads the rows a platform's run left, its user ids mapped back to people.
Rows = Callable[[Database, dict[str, str]], Awaitable[Any]]


@dataclass
class InteractiveOutcome:
    """What the form and the clicks did, in platform-neutral terms."""

    kudos_after_form: list[tuple[str, tuple[str, ...], str]]
    form_fields: list[str]
    undo_offered: bool
    wrong_member_reply: str
    undo_reply: str
    kudos_after_undo: int
    posts_deleted: int


# -- console --------------------------------------------------------------------------------


class ScriptedReader:
    """Lines for the console, with steps run between them (another member acting)."""

    def __init__(self, *steps: str | Callable[[], Awaitable[None]]) -> None:
        self._steps = list(steps)

    async def read(self) -> str | None:
        while self._steps:
            step = self._steps.pop(0)
            if isinstance(step, str):
                return step
            await step()
        return None

    def save_history(self) -> None:
        """Nothing to keep."""


async def console_form_and_click(core: BotCore, rows: Rows) -> InteractiveOutcome:
    """The console: the form asked field by field, Undo typed as its number."""
    from tests.e2e.test_parity import NotificationRecordingConsole

    stdout = io.StringIO()
    sender = NotificationRecordingConsole(stdout=stdout)
    core.outbound = sender
    people = {p: p for p in ("ana", "ben", "cara")}
    seen: dict[str, Any] = {}

    async def ben_presses_anas_undo() -> None:
        """Ben's console never showed Ana's reply: he presses its Undo by its value."""
        seen["after_form"] = await rows(core.database, people)
        async with core.database.session() as session:
            kudos_id = await session.scalar(select(Kudos.id))
        ben = ConsoleInteractions(
            user=console_user("ben"),
            is_staff=False,
            handle=core.handle,
            read=ScriptedReader("y").read,
            write=lambda _: None,
        )
        undo = Choice("Undo", ActionRef("kudos", "undo-one", (str(kudos_id),)))
        reply = await ben.press(undo)
        seen["wrong"] = reply.text if reply is not None else ""

    app = ConsoleApp(
        core=core,
        user=console_user("ana"),
        stdin=io.StringIO(),
        stdout=stdout,
        interactive=False,
        reader=ScriptedReader(  # type: ignore[arg-type]
            "/kudos", "@ben", FORM_REASON, ben_presses_anas_undo, "1", "y"
        ),
    )
    await app.run()
    output = stdout.getvalue()
    after = await rows(core.database, people)
    undo_replies = [line for line in output.splitlines() if "your kudos to @ben is removed" in line]
    return InteractiveOutcome(
        kudos_after_form=seen["after_form"].kudos,
        form_fields=[label for label in FIELD_LABELS if f"bot> {label}" in output],
        undo_offered="[1] Undo" in output,
        wrong_member_reply=seen["wrong"],
        undo_reply=undo_replies[0] if undo_replies else output,
        kudos_after_undo=len(after.kudos),
        posts_deleted=len(sender.deleted),
    )


# -- Slack ----------------------------------------------------------------------------------


async def slack_form_and_click(
    core_parts: dict[str, Any], database: Database, rows: Rows
) -> InteractiveOutcome:
    users = [
        fake_slack.FakeUser(f"U{i + 1}", name, display_name=name.title())
        for i, name in enumerate(("ana", "ben", "cara"))
    ]
    person_of = {user.id: user.name for user in users}
    with fake_slack.FakeSlack(users=users) as fake:
        slack_settings = SlackSettings(  # type: ignore[call-arg]
            _env_file=None,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
            slack_kudos_channel="CKUDOS",
        )
        bot = await make_bot(slack_settings=slack_settings, database=database, **core_parts)
        async for endpoint in serve(bot):
            body = slash_command_body("/kudos", "", response_url=fake.response_url(), user_id="U1")
            assert (await endpoint.command(body)).status == 200
            await fake.wait_for_calls("views.open")
            [opened] = fake.delivered("views.open")
            view = opened.response["view"]
            fields = [block["block_id"] for block in view["blocks"] if "element" in block]
            submitted = view_submission(
                view,
                {
                    "user": {"type": "multi_users_select", "selected_users": ["U2"]},
                    "reason": {"type": "plain_text_input", "value": FORM_REASON},
                },
                user_id="U1",
            )
            answer = await send(endpoint.session, endpoint.url, submitted)
            assert answer.status == 200 and answer.json() == {}, answer.body
            await fake.wait_for(
                lambda f: any(
                    p.params["channel"] != "CKUDOS" for p in f.delivered("chat.postMessage")
                )
            )
            after_form = await rows(database, person_of)
            [confirmation] = [
                p for p in fake.delivered("chat.postMessage") if p.params["channel"] != "CKUDOS"
            ]
            buttons = button_values(confirmation.params["blocks"])
            wrong = await _slack_click(endpoint, fake, buttons.get("Undo", ""), "U2", "wrong")
            done = await _slack_click(endpoint, fake, buttons.get("Undo", ""), "U1", "done")
        deleted = len(fake.delivered("chat.delete"))
    after = await rows(database, person_of)
    return InteractiveOutcome(
        kudos_after_form=after_form.kudos,
        form_fields=[FIELD_LABELS[0] if f == "user" else FIELD_LABELS[1] for f in fields],
        undo_offered="Undo" in buttons,
        wrong_member_reply=wrong,
        undo_reply=done,
        kudos_after_undo=len(after.kudos),
        posts_deleted=deleted,
    )


async def _slack_click(endpoint: Any, fake: Any, value: str, user_id: str, token: str) -> str:
    payload = block_actions(value, user_id=user_id, response_url=fake.response_url(token))
    answer = await send(endpoint.session, endpoint.url, payload)
    assert answer.status == 200
    await fake.wait_for(lambda f: any(c.path == f"/response/{token}" for c in f.responses()))
    [reply] = [c for c in fake.responses() if c.path == f"/response/{token}"]
    return str(reply.params["text"])


# -- Discord --------------------------------------------------------------------------------


async def discord_form_and_click(core: BotCore, rows: Rows) -> InteractiveOutcome:
    users = {
        name: fake_discord.FakeUser(100000000000000001 + i, name, global_name=name.title())
        for i, name in enumerate(("ana", "ben", "cara"))
    }
    person_of = {str(user.id): name for name, user in users.items()}
    ana, ben = users["ana"], users["ben"]
    original_base = discord.http.Route.BASE
    async with fake_discord.FakeDiscord(users=list(users.values())) as fake:
        discord.http.Route.BASE = fake.api_base
        client = build_client(settings=discord_settings())
        core.outbound = client.sender
        client.attach(core)
        try:
            await client.login("test-token")
            opened = command_interaction("kudos", sub_command("form"), user=ana)
            await run_interaction(client, opened)
            (modal,) = fake.calls("POST", f"/interactions/{opened['id']}/")
            fields = [row["component"]["custom_id"] for row in modal.json["data"]["components"]]
            submitted = modal_submit(
                modal.json["data"]["custom_id"],
                [user_select("user", [ben]), text_input("reason", FORM_REASON)],
                user=ana,
                guild_id=GUILD_ID,
                channel_id=CHANNEL_ID,
                picked=(ben,),
            )
            confirmation = await _discord_answer(client, fake, submitted)
            after_form = await rows(core.database, person_of)
            undo_offered = "Undo" in str(confirmation.get("components"))
            prompt_click = _press(confirmation, "Undo", ana)
            await run_interaction(client, prompt_click)
            (prompt,) = fake.calls("POST", f"/interactions/{prompt_click['id']}/")
            wrong = await _discord_answer(client, fake, _press(prompt.json["data"], "Undo", ben))
            done = await _discord_answer(client, fake, _press(prompt.json["data"], "Undo", ana))
        finally:
            await client.close()
            discord.http.Route.BASE = original_base
    deleted = len(fake.calls("DELETE", f"/channels/{KUDOS_CHANNEL_ID}/messages/"))
    after = await rows(core.database, person_of)
    return InteractiveOutcome(
        kudos_after_form=after_form.kudos,
        form_fields=[FIELD_LABELS[0] if f == "user" else FIELD_LABELS[1] for f in fields],
        undo_offered=undo_offered,
        wrong_member_reply=wrong["content"],
        undo_reply=done["content"],
        kudos_after_undo=len(after.kudos),
        posts_deleted=deleted,
    )


def _press(body: dict[str, Any], label: str, user: Any) -> dict[str, Any]:
    message = sent_message(body, message_id="1250000000000000001", channel_id=CHANNEL_ID)
    return click(
        button_id(body, label), message=message, user=user, guild_id=GUILD_ID, channel_id=CHANNEL_ID
    )


async def _discord_answer(client: Any, fake: Any, payload: dict[str, Any]) -> dict[str, Any]:
    await run_interaction(client, payload)
    sent = fake.calls("POST", f"/webhooks/{fake_discord.APPLICATION_ID}/{payload['token']}")
    assert sent, payload
    return sent[-1].json
