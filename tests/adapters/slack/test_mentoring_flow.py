"""``/mentoring`` through the real Bolt app and the fake Slack, with signed payloads.

Four members apply by the modal (``views.open``, then one ``view_submission`` per
step), staff open, close and match the cohort by slash command, review the preview's
buttons and confirm with a click: each pair is introduced in one group DM. A member's
click on Confirm is refused, and no private answer reaches anything Slack was sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.adapters.slack.conftest import USERS, SlackEndpoint
from tests.adapters.slack.interactive_support import (
    block_actions,
    button_values,
    send,
    view_submission,
)
from tests.adapters.slack.support import slash_command_body
from tests.core.mentoring_chat_support import PRIVATE, PRIVATE_VALUES
from tests.fakes.fake_slack import FakeSlack, FakeUser

STAFF = "USTAFF"
COHORT = "Spring 2027"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    users = (*USERS, FakeUser("U4", "dee", display_name="Dee"))
    with FakeSlack(users=users, usergroups={"SSTAFF": [STAFF]}) as fake:
        yield fake


async def _command(
    endpoint: SlackEndpoint, fake: FakeSlack, text: str, *, user_id: str
) -> dict[str, Any]:
    """``/mentoring TEXT``; the params of the reply posted to its response_url."""
    before = len(fake.responses())
    body = slash_command_body("/mentoring", text, response_url=fake.response_url(), user_id=user_id)
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.responses()) > before)
    return fake.responses()[-1].params


def _state(view: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """Each answer as the view's element would hold it (a select's option, or text)."""
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    state: dict[str, Any] = {}
    for name, value in answers.items():
        if kinds[name] == "static_select":
            state[name] = {"type": "static_select", "selected_option": {"value": value}}
        else:
            state[name] = {"type": "plain_text_input", "value": value}
    return state


async def _submit(
    endpoint: SlackEndpoint, view: dict[str, Any], answers: dict[str, str], *, user_id: str
) -> dict[str, Any]:
    """Submit ``view``; Bolt's ack (an update carries the next step's view)."""
    payload = view_submission(view, _state(view, answers), user_id=user_id)
    answer = await send(endpoint.session, endpoint.url, payload)
    assert answer.status == 200
    return answer.json()


async def _apply(
    endpoint: SlackEndpoint,
    fake: FakeSlack,
    user_id: str,
    about: dict[str, str],
    eligibility: dict[str, str],
    private: dict[str, str],
) -> None:
    """``/mentoring apply``, then the three steps of the modal, as a member fills them in."""
    opened_before = len(fake.delivered("views.open"))
    dms_before = len(fake.delivered("chat.postMessage"))
    body = slash_command_body(
        "/mentoring", "apply", response_url=fake.response_url(), user_id=user_id
    )
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.delivered("views.open")) > opened_before)
    opened = fake.delivered("views.open")[-1]
    view = opened.response["view"]
    assert view["title"]["text"] == "Mentoring: about you"
    assert {b["block_id"] for b in view["blocks"]} == {
        "role",
        "email",
        "region",
        "interests",
        "goals",
    }
    step = await _submit(endpoint, view, about, user_id=user_id)
    assert step["response_action"] == "update", step
    eligible = {**step["view"], "id": view["id"]}  # the same modal, its next step
    assert eligible["title"]["text"] == "Mentoring: eligibility"
    step = await _submit(endpoint, eligible, eligibility, user_id=user_id)
    assert step["response_action"] == "update", step
    secret = {**step["view"], "id": view["id"]}
    assert secret["title"]["text"] == "Mentoring: private"
    assert await _submit(endpoint, secret, private, user_id=user_id) == {}  # closes
    await fake.wait_for(lambda f: len(f.delivered("chat.postMessage")) > dms_before)
    done = fake.delivered("chat.postMessage")[-1]
    assert done.params["channel"] == f"D{user_id}"  # a modal has no channel: by DM
    expected = "Saved privately" if private else "No private answers kept"
    assert expected in done.params["text"], done.params["text"]


async def _click(
    endpoint: SlackEndpoint, fake: FakeSlack, value: str, *, user_id: str, token: str
) -> str:
    """Click a preview's button; the text answered under the message."""
    payload = block_actions(value, user_id=user_id, response_url=fake.response_url(token))
    answer = await send(endpoint.session, endpoint.url, payload)
    assert answer.status == 200 and answer.body == ""  # acked at once
    await fake.wait_for(lambda f: any(c.path == f"/response/{token}" for c in f.responses()))
    [reply] = [c for c in fake.responses() if c.path == f"/response/{token}"]
    return str(reply.params["text"])


async def _cohort_of_four(endpoint: SlackEndpoint, fake: FakeSlack) -> None:
    """Staff open the cohort; two mentors and two mentees apply by the modal; closed."""
    opened = await _command(endpoint, fake, f"open {COHORT}", user_id=STAFF)
    assert "opened" in opened["text"], opened["text"]
    yes = {"member": "yes", "adult": "yes"}
    await _apply(
        endpoint,
        fake,
        "U1",
        {"role": "mentor", "email": "ana@example.org", "region": "Midwest",
         "interests": "storytime", "goals": "give back"},
        {**yes, "capacity": "1"},
        {},
    )  # fmt: skip
    await _apply(
        endpoint,
        fake,
        "U4",
        {"role": "mentor", "email": "dee@example.org", "region": "West",
         "interests": "supervision", "goals": "give back"},
        {**yes, "capacity": "1"},
        {},
    )  # fmt: skip
    await _apply(
        endpoint,
        fake,
        "U2",
        {"role": "mentee", "email": "ben@example.org", "region": "Midwest",
         "interests": "storytime", "goals": "lead storytime"},
        yes,
        PRIVATE,
    )  # fmt: skip
    await _apply(
        endpoint,
        fake,
        "U3",
        {"role": "mentee", "email": "cleo@example.org", "region": "West",
         "interests": "supervision", "goals": "supervise"},
        yes,
        {},
    )  # fmt: skip
    status = await _command(endpoint, fake, "status", user_id="U2")
    assert f"{COHORT} cohort (open)" in status["text"], status["text"]
    assert "Role: mentee" in status["text"] and "ben@example.org" in status["text"]
    assert "Private answers: given" in status["text"]
    closed = await _command(endpoint, fake, f"close {COHORT}", user_id=STAFF)
    assert "closed" in closed["text"], closed["text"]


def _group_dms(fake: FakeSlack) -> list[Any]:
    """``conversations.open`` with more than one user (a DM to one member is not one)."""
    return [c for c in fake.calls("conversations.open") if "," in str(c.params.get("users"))]


def _everything_sent(fake: FakeSlack) -> str:
    """Every call the bot made to Slack (Web API and response_urls), as text."""
    return json.dumps([[c.path, c.params] for c in fake.calls()], default=str)


async def test_apply_by_modal_then_staff_match_and_confirm_introduce_each_pair_in_a_group_dm(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    await _cohort_of_four(endpoint, fake_slack)
    assert _group_dms(fake_slack) == []  # nothing sent before confirming

    preview = await _command(endpoint, fake_slack, f"match {COHORT}", user_id=STAFF)
    assert "Nothing is sent until you confirm" in preview["text"], preview["text"]
    buttons = button_values(preview["blocks"])
    labels = list(buttons)
    assert sum(label.startswith("Pin ") for label in labels) == 2, labels
    assert sum(label.startswith("Forbid ") for label in labels) == 2, labels
    assert "Confirm" in buttons
    assert _group_dms(fake_slack) == []

    refused = await _click(endpoint, fake_slack, buttons["Confirm"], user_id="U1", token="ana")
    assert "only association staff" in refused, refused
    await endpoint.settled()
    assert _group_dms(fake_slack) == []

    pin = next(label for label in labels if label.startswith("Pin "))
    pinned = await _click(endpoint, fake_slack, buttons[pin], user_id=STAFF, token="pin")
    assert "pinned" in pinned, pinned
    confirmed = await _click(
        endpoint, fake_slack, buttons["Confirm"], user_id=STAFF, token="confirm"
    )
    assert "Confirmed 2 matches" in confirmed, confirmed
    await endpoint.settled()

    opened = _group_dms(fake_slack)
    pairs = {c.response["channel"]["id"]: c.params["users"] for c in opened}  # type: ignore[index]
    assert sorted(set(users.split(",")) for users in pairs.values()) == [
        {"U1", "U2"},
        {"U3", "U4"},
    ], pairs  # each mentor with the mentee who shares their interests and region
    intros = [c for c in fake_slack.delivered("chat.postMessage") if c.params["channel"] in pairs]
    assert sorted(c.params["channel"] for c in intros) == sorted(pairs)  # one post each
    for call in intros:
        for user in pairs[call.params["channel"]].split(","):
            assert f"<@{user}>" in call.params["text"], call.params["text"]

    again = await _click(endpoint, fake_slack, buttons["Confirm"], user_id=STAFF, token="again")
    assert "already matched" in again, again
    await endpoint.settled()
    assert len(_group_dms(fake_slack)) == 2  # introduced once

    sent = _everything_sent(fake_slack)
    for value in PRIVATE_VALUES:
        assert value not in sent


async def test_each_step_of_one_modal_is_acted_on_and_a_repeated_step_only_once(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    # Slack keeps a modal's view id when a submission answers response_action=update:
    # the next step must not be taken for a repeat of the first (it was, and the
    # application stopped after step one without a word).
    await _command(endpoint, fake_slack, f"open {COHORT}", user_id=STAFF)
    body = slash_command_body(
        "/mentoring", "apply", response_url=fake_slack.response_url(), user_id="U2"
    )
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for_calls("views.open")
    view = fake_slack.delivered("views.open")[-1].response["view"]
    about = {"role": "mentee", "email": "ben@example.org", "interests": "storytime"}
    step = await _submit(endpoint, view, about, user_id="U2")
    eligible = {**step["view"], "id": view["id"]}
    step = await _submit(endpoint, eligible, {"member": "yes", "adult": "yes"}, user_id="U2")
    assert step.get("response_action") == "update", step
    secret = {**step["view"], "id": view["id"]}
    payload = view_submission(secret, _state(secret, PRIVATE), user_id="U2")
    for _ in range(2):  # a double submit of the last step
        assert (await send(endpoint.session, endpoint.url, payload)).json() == {}
    await endpoint.settled()
    saved = [c for c in fake_slack.delivered("chat.postMessage") if c.params["channel"] == "DU2"]
    assert ["Saved privately" in c.params["text"] for c in saved] == [True]
    status = await _command(endpoint, fake_slack, "status", user_id="U2")
    assert "Private answers: given" in status["text"], status["text"]
