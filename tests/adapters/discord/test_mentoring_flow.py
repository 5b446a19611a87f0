"""``/mentoring`` on Discord: real INTERACTION_CREATE payloads through discord.py, the
fake Discord API recording what the bot sent.

Four members apply by modal (one per step, each opened by a click, as Discord opens a
modal only as the first answer), staff open, close and match the cohort, confirm by
the preview's button, and each person gets an introduction by DM. A member's click on
Confirm is refused; no private answer reaches anything Discord was sent, and nobody is
pinged by anything but their own introduction.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from adapters.discord.app import MemberBotClient
from tests.adapters.discord.conftest import ANA, BEN, CARA, HELPER_BOT, run_interaction
from tests.adapters.discord.payloads import (
    CHANNEL_ID,
    GUILD_ID,
    STAFF_ROLE_ID,
    command_interaction,
    option,
    sub_command,
)
from tests.core.mentoring_chat_support import PRIVATE, PRIVATE_VALUES
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord, FakeUser, RecordedRequest
from tests.fakes.fake_discord_interactions import (
    EPHEMERAL,
    LABEL,
    STRING_SELECT,
    buttons_in,
    click,
    modal_submit,
    sent_message,
    string_select,
    text_input,
)

DEE = FakeUser(100000000000000004, "dee", global_name="Dee Adams")
SAM = FakeUser(100000000000000005, "sam", global_name="Sam (staff)")
STAFF = (STAFF_ROLE_ID,)
COHORT = "Spring 2027"
MODAL = 9  # the interaction callback that opens a modal


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """The fake API with a fourth member and a staff member, as in conftest."""
    original = discord.http.Route.BASE
    async with FakeDiscord(users=[ANA, BEN, CARA, DEE, SAM, HELPER_BOT]) as fake:
        discord.http.Route.BASE = fake.api_base
        try:
            yield fake
        finally:
            discord.http.Route.BASE = original


def _followups(fake: FakeDiscord, payload: dict[str, Any]) -> list[RecordedRequest]:
    return fake.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")


def _callbacks(fake: FakeDiscord, payload: dict[str, Any]) -> list[RecordedRequest]:
    return fake.calls("POST", f"/interactions/{payload['id']}/")


async def _answer(client: MemberBotClient, fake: FakeDiscord, payload: dict[str, Any]) -> Any:
    """Run one interaction; the last private follow-up the member saw."""
    await run_interaction(client, payload)
    sent = _followups(fake, payload)
    assert sent, f"no follow-up; callbacks: {[c.json for c in _callbacks(fake, payload)]}"
    for message in sent:  # private, and pinging nobody
        assert message.json["flags"] & EPHEMERAL
        assert message.json["allowed_mentions"]["parse"] == []
    return sent[-1].json


async def _command(
    client: MemberBotClient,
    fake: FakeDiscord,
    sub: str,
    *options: dict[str, Any],
    user: FakeUser,
    roles: tuple[int, ...] = (),
) -> Any:
    payload = command_interaction("mentoring", sub_command(sub, *options), user=user, roles=roles)
    return await _answer(client, fake, payload)


def _press(
    body: dict[str, Any], custom_id: str, *, user: FakeUser, roles: tuple[int, ...] = ()
) -> dict[str, Any]:
    """A click on a button (by custom id) of a message the bot sent."""
    message = sent_message(body, message_id="1250000000000000001", channel_id=CHANNEL_ID)
    return click(
        custom_id, message=message, user=user, roles=roles, guild_id=GUILD_ID, channel_id=CHANNEL_ID
    )


def _button(body: dict[str, Any], starts: str) -> str:
    found = [b["custom_id"] for b in buttons_in(body) if str(b.get("label")).startswith(starts)]
    assert found, [b.get("label") for b in buttons_in(body)]
    return str(found[0])


def _modal(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    (opened,) = _callbacks(fake, payload)
    assert opened.json["type"] == MODAL, opened.json
    return opened.json["data"]


def _inputs(modal: dict[str, Any], answers: dict[str, str]) -> list[dict[str, Any]]:
    """Each answer as the modal's input holds it (a select's values, or text)."""
    assert all(row["type"] == LABEL for row in modal["components"])
    kinds = {row["component"]["custom_id"]: row["component"]["type"] for row in modal["components"]}
    return [
        string_select(name, [value]) if kinds[name] == STRING_SELECT else text_input(name, value)
        for name, value in answers.items()
    ]


async def _step(
    client: MemberBotClient,
    fake: FakeDiscord,
    body: dict[str, Any],
    answers: dict[str, str],
    *,
    user: FakeUser,
    title: str,
) -> Any:
    """Press the step's button, check its modal, submit ``answers``; the answer."""
    opening = _press(body, _button(body, ""), user=user)  # Start, Continue, Add private...
    await run_interaction(client, opening)
    modal = _modal(fake, opening)
    assert modal["title"] == title, modal["title"]
    submitted = modal_submit(
        modal["custom_id"],
        _inputs(modal, answers),
        user=user,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )
    return await _answer(client, fake, submitted)


async def _apply(
    client: MemberBotClient,
    fake: FakeDiscord,
    user: FakeUser,
    about: dict[str, str],
    eligibility: dict[str, str],
    private: dict[str, str],
) -> None:
    """``/mentoring apply``, then each step's modal, as a member goes through them."""
    start = await _command(client, fake, "apply", user=user)
    assert "three short forms" in start["content"], start["content"]
    saved = await _step(client, fake, start, about, user=user, title="Mentoring: about you")
    assert "Next: eligibility" in saved["content"], saved["content"]
    done = await _step(client, fake, saved, eligibility, user=user, title="Mentoring: eligibility")
    assert "application to the Spring 2027 cohort is in" in done["content"], done["content"]
    if private:
        kept = await _step(client, fake, done, private, user=user, title="Mentoring: private")
        assert "Saved privately" in kept["content"], kept["content"]


async def _cohort_of_four(client: MemberBotClient, fake: FakeDiscord) -> None:
    """Staff open the cohort; two mentors and two mentees apply by modal; closed."""
    opened = await _command(client, fake, "open", option("name", COHORT), user=SAM, roles=STAFF)
    assert "opened" in opened["content"], opened["content"]
    yes = {"member": "yes", "adult": "yes"}
    await _apply(
        client, fake, ANA,
        {"role": "mentor", "email": "ana@example.org", "region": "Midwest",
         "interests": "storytime", "goals": "give back"},
        {**yes, "capacity": "1"}, {},
    )  # fmt: skip
    await _apply(
        client, fake, DEE,
        {"role": "mentor", "email": "dee@example.org", "region": "West",
         "interests": "supervision", "goals": "give back"},
        {**yes, "capacity": "1"}, {},
    )  # fmt: skip
    await _apply(
        client, fake, BEN,
        {"role": "mentee", "email": "ben@example.org", "region": "Midwest",
         "interests": "storytime", "goals": "lead storytime"},
        yes, PRIVATE,
    )  # fmt: skip
    await _apply(
        client, fake, CARA,
        {"role": "mentee", "email": "cara@example.org", "region": "West",
         "interests": "supervision", "goals": "supervise"},
        yes, {},
    )  # fmt: skip
    status = await _command(client, fake, "status", user=BEN)
    assert f"{COHORT} cohort (open)" in status["content"], status["content"]
    assert "Role: mentee" in status["content"] and "ben@example.org" in status["content"]
    assert "Private answers: given" in status["content"]
    closed = await _command(client, fake, "close", option("name", COHORT), user=SAM, roles=STAFF)
    assert "closed" in closed["content"], closed["content"]


def _everything_sent(fake: FakeDiscord) -> str:
    """Every request the bot made to Discord, bodies included, as text."""
    return json.dumps([[r.method, r.path, r.json] for r in fake.requests], default=str)


async def test_apply_by_modal_then_staff_match_and_confirm_introduce_each_person_by_dm(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    await _cohort_of_four(client, fake_discord)
    preview = await _command(
        client, fake_discord, "match", option("name", COHORT), user=SAM, roles=STAFF
    )
    assert "Nothing is sent until you confirm" in preview["content"], preview["content"]
    assert "Ana Reyes mentors Ben Okafor" in preview["content"]
    assert "Dee Adams mentors Cara Lin" in preview["content"]
    labels = [str(b["label"]) for b in buttons_in(preview)]
    assert sum(label.startswith("Pin ") for label in labels) == 2, labels
    assert sum(label.startswith("Forbid ") for label in labels) == 2, labels
    assert "Confirm" in labels

    # Confirm asks first (a prompt with the button that acts); nothing is sent yet.
    asked = _press(preview, _button(preview, "Confirm"), user=SAM, roles=STAFF)
    await run_interaction(client, asked)
    (prompt,) = _callbacks(fake_discord, asked)
    assert prompt.json["data"]["flags"] & EPHEMERAL
    confirm_id = _button(prompt.json["data"], "Confirm")
    people = (ANA, BEN, CARA, DEE)
    assert all(fake_discord.dms_to(person.id) == [] for person in people)

    # A member who is not staff presses the real thing: refused, nothing sent.
    refused = await _answer(client, fake_discord, _press(preview, confirm_id, user=CARA))
    assert "only association staff" in refused["content"], refused["content"]
    assert all(fake_discord.dms_to(person.id) == [] for person in people)

    pin = _press(preview, _button(preview, "Pin "), user=SAM, roles=STAFF)
    assert "pinned" in (await _answer(client, fake_discord, pin))["content"]
    confirmed = await _answer(
        client, fake_discord, _press(prompt.json["data"], confirm_id, user=SAM, roles=STAFF)
    )
    assert "Confirmed 2 matches" in confirmed["content"], confirmed["content"]

    mentees = {ANA: BEN, DEE: CARA}
    roles = {person: ("mentee", partner) for person, partner in mentees.items()}
    roles |= {partner: ("mentor", person) for person, partner in mentees.items()}
    for person, (role, partner) in roles.items():
        (intro,) = fake_discord.dms_to(person.id)  # one DM each
        text = intro.json["content"]
        assert f"Your {role} is <@{partner.id}> ({partner.global_name})" in text, text
        assert "first meeting" in text
        # Only the partner named is pinged: no @everyone, no roles.
        assert intro.json["allowed_mentions"] == {"users": [partner.id], "parse": []}

    again = await _answer(
        client, fake_discord, _press(prompt.json["data"], confirm_id, user=SAM, roles=STAFF)
    )
    assert "already matched" in again["content"], again["content"]
    assert all(len(fake_discord.dms_to(person.id)) == 1 for person in people)

    sent = _everything_sent(fake_discord)
    for value in PRIVATE_VALUES:
        assert value not in sent
