"""Buttons and modals through the real Bolt app: signed ``block_actions`` and
``view_submission`` payloads, the fake Slack recording what the bot did.

A broadcast is drafted with the form, previewed and confirmed with a button
without typing an argument; clicks by the wrong member, double clicks, forged
values and clicks after a restart act as the core allows, and only once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from adapters.slack.app import SlackBot
from adapters.slack.interactive import FORM_FAILED_TEXT
from adapters.slack.settings import SlackSettings
from bot.actions import MALFORMED_TEXT
from bot.clock import FixedClock
from bot.config import Settings
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery
from tests.adapters.slack.conftest import USERS, SlackEndpoint, make_bot, serve
from tests.adapters.slack.interactive_support import (
    block_actions,
    button_values,
    send,
    view_submission,
)
from tests.adapters.slack.support import slash_command_body
from tests.fakes.fake_slack import FakeSlack, FakeUser

AUTHOR, OTHER_STAFF, MEMBER = "USTAFF", "USTAFF2", "U2"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    users = (*USERS, FakeUser(OTHER_STAFF, "rosa", display_name="Rosa (staff)"))
    with FakeSlack(users=users, usergroups={"SSTAFF": [AUTHOR, OTHER_STAFF]}) as fake:
        yield fake


async def _bot(
    database: Database,
    settings: Settings,
    slack_settings: SlackSettings,
    clock: FixedClock,
    knowledge: KnowledgeStore,
) -> SlackBot:
    return await make_bot(
        settings=settings,
        slack_settings=slack_settings,
        database=database,
        clock=clock,
        knowledge=knowledge,
    )


@pytest.fixture
async def any_endpoint(
    database: Database,
    settings: Settings,
    slack_settings: SlackSettings,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> AsyncIterator[SlackEndpoint]:
    """The endpoint on SQLite and on PostgreSQL (when TEST_DATABASE_URL is set)."""
    bot = await _bot(database, settings, slack_settings, clock, frozen_knowledge)
    async for served in serve(bot):
        yield served


async def _command(
    endpoint: SlackEndpoint, fake: FakeSlack, command: str, text: str, *, user_id: str
) -> dict[str, Any]:
    """One slash command; the params of the reply posted to its response_url."""
    before = len(fake.responses())
    body = slash_command_body(command, text, response_url=fake.response_url(), user_id=user_id)
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.responses()) > before)
    return fake.responses()[-1].params


async def _draft(endpoint: SlackEndpoint, fake: FakeSlack) -> dict[str, str]:
    """A typed draft by the author; its preview's buttons (label -> value)."""
    preview = await _command(
        endpoint, fake, "/broadcast", "<#C1|general> Book sale on Saturday!", user_id=AUTHOR
    )
    assert "Preview" in preview["text"] or "preview" in preview["text"], preview["text"]
    buttons = button_values(preview["blocks"])
    assert set(buttons) >= {"Confirm", "Cancel", "Edit"}, buttons
    return buttons


async def _click(
    endpoint: SlackEndpoint, fake: FakeSlack, value: str, *, user_id: str, token: str
) -> str:
    """Click a button; the text answered under the message (its response_url)."""
    payload = block_actions(value, user_id=user_id, response_url=fake.response_url(token))
    answer = await send(endpoint.session, endpoint.url, payload)
    assert answer.status == 200 and answer.body == ""  # acked at once, nothing else
    await fake.wait_for(lambda f: any(c.path == f"/response/{token}" for c in f.responses()))
    [reply] = [c for c in fake.responses() if c.path == f"/response/{token}"]
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["replace_original"] is False
    return str(reply.params["text"])


async def _statuses(database: Database) -> list[str]:
    async with database.session() as session:
        return [str(b.status) for b in await session.scalars(select(Broadcast))]


async def _deliveries(database: Database) -> int:
    async with database.session() as session:
        return len(list(await session.scalars(select(BroadcastDelivery))))


# ------------------------------------------------------------------ end to end


async def test_a_broadcast_is_drafted_in_a_form_previewed_and_confirmed_with_a_button(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    body = slash_command_body(
        "/broadcast", "", response_url=fake_slack.response_url(), user_id=AUTHOR
    )
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    view = opened.response["view"]
    assert view["private_metadata"] == "bc:compose"  # the reference, nothing more
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds == {
        "audience": "static_select",
        "channel": "conversations_select",
        "message": "plain_text_input",
        "at": "datetimepicker",
    }
    assert fake_slack.responses() == []  # the form is the answer

    submitted = view_submission(
        view,
        {
            "audience": {"type": "static_select", "selected_option": {"value": "channel"}},
            "channel": {"type": "conversations_select", "selected_conversation": "C1"},
            "message": {"type": "plain_text_input", "value": "Book sale on *Saturday*!"},
            "at": {"type": "datetimepicker", "selected_date_time": None},
        },
        user_id=AUTHOR,
    )
    answer = await send(endpoint.session, endpoint.url, submitted)
    assert answer.status == 200 and answer.json() == {}  # the modal closes
    await fake_slack.wait_for(lambda f: bool(f.delivered("chat.postMessage")))
    [preview] = fake_slack.delivered("chat.postMessage")
    assert preview.params["channel"] == f"D{AUTHOR}"  # a modal has no channel: by DM
    assert "Book sale on *Saturday*!" in json.dumps(preview.params["blocks"])
    buttons = button_values(preview.params["blocks"])
    assert await _statuses(sqlite_database) == ["draft"]

    reply = await _click(endpoint, fake_slack, buttons["Confirm"], user_id=AUTHOR, token="ok")
    assert "scheduled" in reply.lower() or "sending" in reply.lower(), reply
    assert await _statuses(sqlite_database) == ["scheduled"]


async def test_buttons_carry_style_and_the_encoded_reference(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    preview = await _command(
        endpoint, fake_slack, "/broadcast", "<#C1|general> Hello", user_id=AUTHOR
    )
    [actions] = [b for b in preview["blocks"] if b["type"] == "actions"]
    styles = {e["text"]["text"]: e.get("style") for e in actions["elements"]}
    assert styles == {"Confirm": "primary", "Cancel": "danger", "Edit": None}
    assert all(e["action_id"].startswith("memberbot.") for e in actions["elements"])
    assert {e["value"].split(":")[1] for e in actions["elements"]} == {"confirm", "cancel", "edit"}


# ------------------------------------------------------------- who, how often


async def test_a_click_by_the_wrong_member_is_refused_and_changes_nothing(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    buttons = await _draft(endpoint, fake_slack)
    refused = await _click(endpoint, fake_slack, buttons["Confirm"], user_id=MEMBER, token="m")
    assert "staff" in refused, refused
    other = await _click(endpoint, fake_slack, buttons["Confirm"], user_id=OTHER_STAFF, token="s")
    assert "only they can confirm" in other, other
    edit = await _click(endpoint, fake_slack, buttons["Edit"], user_id=OTHER_STAFF, token="e")
    assert "someone else" in edit and fake_slack.calls("views.open") == []
    assert await _statuses(sqlite_database) == ["draft"]
    assert await _deliveries(sqlite_database) == 0
    done = await _click(endpoint, fake_slack, buttons["Confirm"], user_id=AUTHOR, token="a")
    assert "#" in done and await _statuses(sqlite_database) == ["scheduled"]


async def test_a_double_click_acts_once(
    any_endpoint: SlackEndpoint, fake_slack: FakeSlack, database: Database
) -> None:
    buttons = await _draft(any_endpoint, fake_slack)
    first, second = await asyncio.gather(
        _click(any_endpoint, fake_slack, buttons["Confirm"], user_id=AUTHOR, token="one"),
        _click(any_endpoint, fake_slack, buttons["Confirm"], user_id=AUTHOR, token="two"),
    )
    assert sorted("already" in text for text in (first, second)) == [False, True], (first, second)
    assert await _statuses(database) == ["scheduled"]
    deliveries = await _deliveries(database)
    again = await _click(any_endpoint, fake_slack, buttons["Confirm"], user_id=AUTHOR, token="3")
    assert "already" in again
    assert await _deliveries(database) == deliveries  # fanned out once


async def test_a_repeated_delivery_of_one_click_is_acted_on_once(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    buttons = await _draft(endpoint, fake_slack)
    payload = block_actions(
        buttons["Confirm"], user_id=AUTHOR, response_url=fake_slack.response_url("same")
    )
    for _ in range(2):
        assert (await send(endpoint.session, endpoint.url, payload)).status == 200
    await endpoint.settled()
    assert len([c for c in fake_slack.responses() if c.path == "/response/same"]) == 1
    assert await _statuses(sqlite_database) == ["scheduled"]


@pytest.mark.parametrize(
    "value",
    [
        "bc:confirm:1 OR 1=1",  # outside the encoding
        "bc:confirm:" + "9" * 120,  # too long
        "bc:launch:1",  # no such sub-command
        "nosuch:thing:1",  # no such command
        "",  # nothing at all
    ],
)
async def test_a_forged_value_is_refused_politely(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, sqlite_database: Database, value: str
) -> None:
    await _draft(endpoint, fake_slack)
    reply = await _click(endpoint, fake_slack, value, user_id=AUTHOR, token="forged")
    assert reply == MALFORMED_TEXT
    assert await _statuses(sqlite_database) == ["draft"]


async def test_a_value_naming_another_workspaces_or_no_broadcast_is_refused(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    await _draft(endpoint, fake_slack)
    reply = await _click(endpoint, fake_slack, "bc:confirm:999", user_id=AUTHOR, token="x")
    assert "999" in reply and await _statuses(sqlite_database) == ["draft"]


async def test_a_click_after_a_restart_works_with_nothing_kept_in_memory(
    fake_slack: FakeSlack,
    settings: Settings,
    slack_settings: SlackSettings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    first = await _bot(sqlite_database, settings, slack_settings, clock, frozen_knowledge)
    async for served in serve(first):
        buttons = await _draft(served, fake_slack)
    # A new process: a new core, a new Bolt app, the same database.
    second = await _bot(sqlite_database, settings, slack_settings, clock, frozen_knowledge)
    assert second.app is not first.app and second.core is not first.core
    async for served in serve(second):
        reply = await _click(served, fake_slack, buttons["Confirm"], user_id=AUTHOR, token="r")
    assert "already" not in reply and await _statuses(sqlite_database) == ["scheduled"]


# ---------------------------------------------------------------------- forms


async def test_field_errors_keep_the_modal_open_and_a_fixed_submission_acts(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body("/kudos", "", response_url=fake_slack.response_url(), user_id="U1")
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    view = opened.response["view"]
    kinds = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert kinds["user"]["type"] == "multi_users_select"
    assert kinds["user"]["max_selected_items"] == 3
    assert kinds["reason"]["type"] == "plain_text_input" and kinds["reason"]["multiline"]

    empty = view_submission(
        view,
        {
            "user": {"type": "multi_users_select", "selected_users": []},
            "reason": {"type": "plain_text_input", "value": "  "},
        },
        user_id="U1",
    )
    answer = (await send(endpoint.session, endpoint.url, empty)).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"user", "reason"}
    assert fake_slack.delivered("chat.postMessage") == []

    fixed = view_submission(
        view,
        {
            "user": {"type": "multi_users_select", "selected_users": ["U2"]},
            "reason": {"type": "plain_text_input", "value": "for the <!channel> storytime"},
        },
        user_id="U1",
    )
    fixed["view"]["id"] = view["id"]  # the same modal, submitted again
    assert (await send(endpoint.session, endpoint.url, fixed)).json() == {}
    await fake_slack.wait_for(lambda f: len(f.delivered("chat.postMessage")) >= 2)
    posts = {c.params["channel"]: c.params for c in fake_slack.delivered("chat.postMessage")}
    kudos_post = json.dumps(posts["CKUDOS"])
    assert "U2" in kudos_post and "<!channel>" not in posts["CKUDOS"]["text"]
    assert "Undo" in button_values(posts["DU1"]["blocks"])  # the giver's confirmation
    # Submitted a third time (a double submit): nothing more is posted.
    assert (await send(endpoint.session, endpoint.url, fixed)).json() == {}
    await endpoint.settled()
    assert len([c for c in fake_slack.delivered() if c.params["channel"] == "CKUDOS"]) == 1


async def test_a_submission_with_forged_metadata_is_refused(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    view = {
        "id": "VFORGED",
        "type": "modal",
        "callback_id": "memberbot_form",
        "private_metadata": "kd:give:<@U3>",
        "blocks": [],
    }
    answer = await send(endpoint.session, endpoint.url, view_submission(view, {}, user_id="U1"))
    assert answer.json() == {}
    await fake_slack.wait_for(lambda f: bool(f.delivered("chat.postMessage")))
    [dm] = fake_slack.delivered("chat.postMessage")
    assert dm.params["channel"] == "DU1" and dm.params["text"] == MALFORMED_TEXT


async def test_edit_reopens_the_form_filled_in_with_the_clicks_trigger(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    buttons = await _draft(endpoint, fake_slack)
    payload = block_actions(
        buttons["Edit"], user_id=AUTHOR, response_url=fake_slack.response_url("edit")
    )
    assert (await send(endpoint.session, endpoint.url, payload)).status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    assert opened.params["trigger_id"] == payload["trigger_id"]
    view = opened.response["view"]
    assert view["private_metadata"] == "bc:compose:1"  # edits draft #1, checked on submit
    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert elements["message"]["initial_value"] == "Book sale on Saturday!"
    assert elements["channel"]["initial_conversation"] == "C1"
    assert elements["audience"]["initial_option"]["value"] == "channel"
    assert [c for c in fake_slack.responses() if c.path == "/response/edit"] == []


async def test_a_slow_submission_is_acked_in_time_and_answered_by_dm(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    view = {
        "id": "VSLOW",
        "type": "modal",
        "callback_id": "memberbot_form",
        "private_metadata": "kd:give",
        "blocks": [],
    }
    with fake_slack.hold("users.info"):  # Slack slow to say who submitted it
        started = asyncio.get_running_loop().time()
        answer = await send(endpoint.session, endpoint.url, view_submission(view, {}, user_id="U3"))
        waited = asyncio.get_running_loop().time() - started
    assert answer.status == 200 and answer.json() == {}  # closed, within Slack's 3 seconds
    assert waited < 3.0
    await fake_slack.wait_for(lambda f: bool(f.delivered("chat.postMessage")))
    [dm] = fake_slack.delivered("chat.postMessage")
    assert dm.params["channel"] == "DU3" and "Please fill this in." in dm.params["text"]


async def test_a_form_that_cannot_open_any_more_is_explained_under_the_message(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    buttons = await _draft(endpoint, fake_slack)
    payload = block_actions(
        buttons["Edit"], user_id=AUTHOR, response_url=fake_slack.response_url("late")
    )
    fake_slack.expired_triggers.add(payload["trigger_id"])  # the 3 seconds are over
    assert (await send(endpoint.session, endpoint.url, payload)).status == 200
    await fake_slack.wait_for(lambda f: any(c.path == "/response/late" for c in f.responses()))
    [reply] = [c for c in fake_slack.responses() if c.path == "/response/late"]
    assert FORM_FAILED_TEXT in reply.params["text"]
    assert fake_slack.delivered("views.open") == []
