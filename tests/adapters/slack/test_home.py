"""The App Home tab and the Give kudos shortcuts, through the real Bolt app.

``app_home_opened`` publishes the member's home (kudos, deadlines with Remind me,
reminders; for staff also what waits); a choice made on the home acts and the home
is published again with what was done. The message shortcut opens the kudos form
with the message's author picked; the global one opens it empty. One click and one
form also go through Socket Mode.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.storage import Database
from bot.storage.models import UnansweredQuestion
from tests.adapters.slack.conftest import SlackEndpoint, SocketMode
from tests.adapters.slack.interactive_support import (
    block_actions,
    message_shortcut,
    send,
    shortcut,
    view_submission,
)
from tests.adapters.slack.support import event_body, slash_command_body
from tests.fakes.fake_slack import FakeSlack

DEADLINE = "mentoring-applications-2021"


@pytest.fixture
def clock() -> FixedClock:
    # Before the sample's 2021-22 deadlines, so the home lists them.
    return FixedClock(datetime(2021, 9, 20, 15, 0, tzinfo=UTC))


async def _open_home(endpoint: SlackEndpoint, fake: FakeSlack, user_id: str) -> dict[str, Any]:
    before = len(fake.delivered("views.publish"))
    event = {"type": "app_home_opened", "user": user_id, "channel": f"D{user_id}", "tab": "home"}
    body = event_body(event, event_id=f"Ev{user_id}{before}")
    assert (await endpoint.event(body)).status == 200
    await fake.wait_for(lambda f: len(f.delivered("views.publish")) > before)
    published = fake.delivered("views.publish")[-1]
    assert published.params["user_id"] == user_id
    return fake.home_views[user_id]


def _headers(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


def _select_values(view: dict[str, Any]) -> set[str]:
    return {
        option["value"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "static_select"
        for option in element["options"]
    }


def _buttons(view: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in view["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["type"] == "button":
                found.setdefault(element["text"]["text"], []).append(element["value"])
    return found


async def _command(endpoint: SlackEndpoint, fake: FakeSlack, command: str, text: str, user: str):
    body = slash_command_body(command, text, response_url=fake.response_url(), user_id=user)
    before = len(fake.responses())
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.responses()) > before)


async def test_a_member_home_shows_kudos_deadlines_with_remind_me_and_reminders(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    await _command(endpoint, fake_slack, "/kudos", "<@U2|ben> for the storytime", "U1")
    view = await _open_home(endpoint, fake_slack, "U1")
    assert view["type"] == "home"
    assert _headers(view) == ["Kudos", "Upcoming deadlines", "Your reminders"]
    shown = json.dumps(view)
    assert "received 0 kudos and gave 1 kudos" in shown
    assert "You can give 4 more today" in shown  # the default quota of 5
    assert "ALSC Mentoring Program applications close" in shown
    assert {f"rm:remind:{DEADLINE}:{when}" for when in ("1w", "1d", "morning")} <= _select_values(
        view
    )
    assert "Broadcast DMs (staff announcements) are on" in shown
    assert _buttons(view)["Turn them off"] == ["rm:off"]
    assert "Unanswered" not in shown and "Draft" not in shown  # staff only

    received = await _open_home(endpoint, fake_slack, "U2")
    assert "received 1 kudos and gave 0 kudos" in json.dumps(received)


async def test_a_staff_home_adds_unanswered_questions_scheduled_broadcasts_and_drafts(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, sqlite_database: Database, clock: FixedClock
) -> None:
    async with sqlite_database.session() as session:
        session.add(
            UnansweredQuestion(
                question="Where is the moon base?",
                normalized="where is the moon base",
                platform="slack",
                score=0.0,
                asked_at=clock.now(),
            )
        )
        await session.commit()
    await _command(endpoint, fake_slack, "/broadcast", "<#C1|general> Book sale!", "USTAFF")
    await _command(
        endpoint, fake_slack, "/broadcast", "<#C1|general> at 2021-10-01 09:00 Mixer!", "USTAFF"
    )
    await _command(endpoint, fake_slack, "/broadcast", "confirm 2", "USTAFF")
    view = await _open_home(endpoint, fake_slack, "USTAFF")
    assert _headers(view)[-1] == "For staff"
    shown = json.dumps(view)
    assert "Unanswered questions: 1." in shown
    assert "Scheduled #2 for" in shown and "Mixer!" in shown
    assert "Draft #1 awaiting confirmation: Book sale!" in shown
    assert _buttons(view)["Confirm"] == ["bc:confirm:1"]

    member_view = await _open_home(endpoint, fake_slack, "U1")
    assert "For staff" not in _headers(member_view)


async def test_remind_me_on_the_home_subscribes_and_republishes_it(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    await _open_home(endpoint, fake_slack, "U1")
    value = f"rm:remind:{DEADLINE}:1w"
    payload = block_actions(value, user_id="U1", response_url=None, select=True, home=True)
    assert (await send(endpoint.session, endpoint.url, payload)).body == ""
    await fake_slack.wait_for(lambda f: len(f.delivered("views.publish")) == 2)
    view = fake_slack.home_views["U1"]
    notice = json.dumps(view["blocks"][0])
    assert "ALSC Mentoring Program" in notice and "week" in notice  # what the click did
    [cancel] = _buttons(view)["Cancel"]
    assert cancel.startswith("rm:cancel:")
    assert fake_slack.responses() == []  # a home click is answered on the home


async def test_the_message_shortcut_gives_kudos_to_the_messages_author(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    payload = message_shortcut(
        "give_kudos_for_message",
        user_id="U1",
        author_id="U2",
        text="I updated the storytime list",
        response_url=fake_slack.response_url("shortcut"),
    )
    assert (await send(endpoint.session, endpoint.url, payload)).status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    view = opened.response["view"]
    [picker] = [b["element"] for b in view["blocks"] if b["block_id"] == "user"]
    assert picker["initial_users"] == ["U2"]  # the message's author, already picked

    submitted = view_submission(
        view,
        {
            "user": {"type": "multi_users_select", "selected_users": ["U2"]},
            "reason": {"type": "plain_text_input", "value": "for updating the storytime list"},
        },
        user_id="U1",
    )
    assert (await send(endpoint.session, endpoint.url, submitted)).json() == {}
    await fake_slack.wait_for(lambda f: any(c.params["channel"] == "CKUDOS" for c in f.delivered()))
    [post] = [c for c in fake_slack.delivered() if c.params["channel"] == "CKUDOS"]
    assert "<@U2>" in post.params["text"] and "storytime list" in post.params["text"]


async def test_the_message_shortcut_on_ones_own_message_picks_nobody(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    payload = message_shortcut(
        "give_kudos_for_message",
        user_id="U1",
        author_id="U1",
        text="my own message",
        response_url=fake_slack.response_url("own"),
    )
    assert (await send(endpoint.session, endpoint.url, payload)).status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    [picker] = [b["element"] for b in opened.response["view"]["blocks"] if b["block_id"] == "user"]
    assert "initial_users" not in picker


async def test_the_global_shortcut_opens_the_kudos_form(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    answer = await send(endpoint.session, endpoint.url, shortcut("give_kudos", user_id="U1"))
    assert answer.status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    assert opened.response["view"]["private_metadata"] == "kd:give"
    assert opened.response["view"]["title"]["text"] == "Give kudos"


# ---------------------------------------------------------------- Socket Mode


async def test_clicks_and_forms_work_in_socket_mode(
    socket_mode: SocketMode, fake_slack: FakeSlack
) -> None:
    await socket_mode.send(1, "interactive", shortcut("give_kudos", user_id="U1"))
    await fake_slack.wait_for_calls("views.open")
    view = fake_slack.delivered("views.open")[0].response["view"]
    empty = view_submission(view, {}, user_id="U1")
    ack = await socket_mode.send(2, "interactive", empty)
    assert ack["payload"]["response_action"] == "errors"  # the modal stays open
    click = block_actions(
        "rm:remind:mentoring-applications-2021:1d",
        user_id="U1",
        response_url=fake_slack.response_url("socket"),
    )
    await socket_mode.send(3, "interactive", click)
    await fake_slack.wait_for(lambda f: len(f.responses()) == 1)
    assert "ALSC Mentoring Program" in fake_slack.responses()[0].params["text"]
