"""Buttons, selects, modals and right-click menus on Discord, against the fake API.

Every interaction is a real INTERACTION_CREATE payload (component, modal submit,
user and message menus) parsed by discord.py itself; what the member sees is what
the fake received.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.discord import clicks
from adapters.discord.app import MemberBotClient, build_client
from adapters.discord.clicks import FORM_EXPIRED, NOTHING_DONE
from adapters.discord.components import actions_view
from adapters.discord.modals import Submitted, form_modal, opening_token, read_custom_id
from bot.actions import (
    MALFORMED_TEXT,
    ActionRef,
    Button,
    ButtonStyle,
    FieldKind,
    Form,
    FormField,
    Select,
    SelectOption,
)
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery, KudosRecipient
from tests.adapters.discord.conftest import (
    ANA,
    BEN,
    CARA,
    discord_settings,
    run_interaction,
    settle,
)
from tests.adapters.discord.payloads import (
    CHANNEL_ID,
    GUILD_ID,
    KUDOS_CHANNEL_ID,
    STAFF_ROLE_ID,
    command_interaction,
    option,
    sub_command,
    user_option,
)
from tests.adapters.discord.test_messages_and_settings import message_create
from tests.fakes.fake_discord import (
    APPLICATION_ID,
    BOT_ID,
    BOT_USER,
    FakeDiscord,
    FakeUser,
    RecordedRequest,
)
from tests.fakes.fake_discord_interactions import (
    CHANNEL_SELECT,
    EPHEMERAL,
    LABEL,
    STRING_SELECT,
    TEXT_INPUT,
    USER_SELECT,
    button_id,
    click,
    message_menu,
    modal_submit,
    sent_message,
    string_select,
    text_input,
    user_menu,
    user_select,
)

STAFF = (STAFF_ROLE_ID,)
MODAL = 9  # the interaction callback that opens a modal
UPDATE_MESSAGE = 7


def followups(fake: FakeDiscord, payload: dict[str, Any]) -> list[RecordedRequest]:
    return fake.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")


def callbacks(fake: FakeDiscord, payload: dict[str, Any]) -> list[RecordedRequest]:
    return fake.calls("POST", f"/interactions/{payload['id']}/")


async def answer(client: MemberBotClient, fake: FakeDiscord, payload: dict[str, Any]) -> Any:
    """Run one interaction; the (last) private follow-up the member saw, as sent."""
    await run_interaction(client, payload)
    sent = followups(fake, payload)
    assert sent, f"no follow-up; callbacks: {[c.json for c in callbacks(fake, payload)]}"
    assert all(f.json["flags"] & EPHEMERAL for f in sent)
    for message in sent:  # nobody is ever pinged by a private answer
        assert message.json["allowed_mentions"]["parse"] == []
    return sent[-1].json


def on_message(body: dict[str, Any]) -> dict[str, Any]:
    """The message a follow-up created, as Discord puts it in a click on it."""
    return sent_message(body, message_id="1250000000000000001", channel_id=CHANNEL_ID)


def press(
    body: dict[str, Any], label: str, *, user: FakeUser = ANA, roles: tuple[int, ...] = STAFF
) -> dict[str, Any]:
    """A click on the button labelled ``label`` of a message the bot sent."""
    return click(
        button_id(body, label),
        message=on_message(body),
        user=user,
        roles=roles,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )


async def preview(client: MemberBotClient, fake: FakeDiscord, text: str) -> dict[str, Any]:
    """Ana (staff) drafts a broadcast to the announcements channel; its preview."""
    payload = command_interaction(
        "broadcast",
        sub_command("post", option("message", text)),
        user=ANA,
        roles=STAFF,
    )
    body = await answer(client, fake, payload)
    assert "Preview of broadcast #" in body["content"]
    return body


async def scheduled(core: BotCore) -> int:
    async with core.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(BroadcastDelivery)) or 0)


async def kudos_count(core: BotCore) -> int:
    async with core.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(KudosRecipient)) or 0)


# -- buttons --------------------------------------------------------------------------


async def test_a_broadcast_is_confirmed_with_its_button(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Gift memberships close December 14.")
    styles = {b["label"]: b["style"] for row in body["components"] for b in row["components"]}
    assert styles == {"Confirm": 1, "Cancel": 4, "Edit": 2}  # primary, danger, secondary
    assert button_id(body, "Confirm") == "bc:confirm:1"

    confirmed = await answer(client, fake_discord, press(body, "Confirm"))
    assert "Broadcast #1 is scheduled" in confirmed["content"]
    assert await scheduled(core) == 1


async def test_only_the_author_confirms_and_members_who_are_not_staff_are_refused(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Board meeting moved to Thursday.")
    by_ben = await answer(client, fake_discord, press(body, "Confirm", user=BEN))
    assert "drafted by someone else" in by_ben["content"]
    by_cara = await answer(client, fake_discord, press(body, "Confirm", user=CARA, roles=()))
    assert "for association staff only" in by_cara["content"]
    assert await scheduled(core) == 0


async def test_a_double_click_acts_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Volunteer night is on.")
    first = press(body, "Confirm")
    assert "is scheduled" in (await answer(client, fake_discord, first))["content"]
    # The same interaction delivered again: acted on once, its placeholder removed.
    await run_interaction(client, first)
    assert len(followups(fake_discord, first)) == 1
    assert fake_discord.calls("DELETE", f"/webhooks/{APPLICATION_ID}/{first['token']}/")
    # Two more presses at once (each its own interaction): told, never scheduled again.
    again = [press(body, "Confirm") for _ in range(2)]
    for payload in again:
        client._connection.parse_interaction_create(payload)
    await run_interaction(client, press(body, "Confirm"))
    for payload in again:
        (told,) = followups(fake_discord, payload)
        assert "already scheduled" in told.json["content"]
    assert await scheduled(core) == 1


async def test_forged_custom_ids_are_refused_politely(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Library card drive.")
    message = on_message(body)
    for forged in ("bc:confirm:1 OR 1=1", "bc:confirm:1:2", "zz:confirm:1", "x" * 100):
        payload = click(
            forged, message=message, user=ANA, roles=STAFF, guild_id=GUILD_ID, channel_id=CHANNEL_ID
        )
        assert (await answer(client, fake_discord, payload))["content"] == MALFORMED_TEXT
    # A well-formed reference to a broadcast that is not there is checked, not trusted.
    payload = click(
        "bc:confirm:99", message=message, user=ANA, roles=STAFF, guild_id=GUILD_ID, channel_id=1
    )
    refused = await answer(client, fake_discord, payload)
    assert "99" in refused["content"] and "scheduled" not in refused["content"]
    # Nor does an adapter id open a form that was never kept for this member.
    payload = click("!form:123", message=message, user=ANA, guild_id=GUILD_ID, channel_id=1)
    await run_interaction(client, payload)
    (expired,) = callbacks(fake_discord, payload)
    assert expired.json["data"]["content"].startswith(FORM_EXPIRED[:30])
    assert await scheduled(core) == 0


async def test_a_click_after_a_restart_is_answered(
    client: MemberBotClient,
    fake_discord: FakeDiscord,
    core: BotCore,
    settings: Settings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    body = await preview(client, fake_discord, "Storytime is back on Saturday.")
    await client.close()  # the bot stops; the message with its buttons stays on Discord

    restarted = build_client(settings=discord_settings())
    fresh_core = BotCore(
        settings=settings,
        database=sqlite_database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=restarted.sender,
    )
    await fresh_core.start()
    restarted.attach(fresh_core)
    await restarted.login("test-token")
    try:
        confirmed = await answer(restarted, fake_discord, press(body, "Confirm"))  # type: ignore[arg-type]
    finally:
        await restarted.close()
    assert "Broadcast #1 is scheduled" in confirmed["content"]
    assert await scheduled(core) == 1


async def test_a_button_with_a_confirm_prompt_asks_first(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    given = command_interaction(
        "kudos",
        sub_command("give", user_option("user", BEN), option("reason", "for the book fair")),
        user=ANA,
        mentioned=(BEN,),
    )
    body = await answer(client, fake_discord, given)
    undo = button_id(body, "Undo")
    assert undo.startswith("?kd:undo-one:")  # asks before it acts

    asked = press(body, "Undo", roles=())
    await run_interaction(client, asked)
    (prompt,) = callbacks(fake_discord, asked)
    assert prompt.json["type"] == 4 and prompt.json["data"]["flags"] & EPHEMERAL
    assert "are you sure" in prompt.json["data"]["content"]
    assert prompt.json["data"]["allowed_mentions"]["parse"] == []
    assert await kudos_count(core) == 1  # nothing yet

    # Cancel leaves everything as it is.
    cancel = press(prompt.json["data"], "Cancel", roles=())
    await run_interaction(client, cancel)
    (dismissed,) = callbacks(fake_discord, cancel)
    assert dismissed.json["type"] == UPDATE_MESSAGE
    assert dismissed.json["data"]["content"] == NOTHING_DONE
    assert await kudos_count(core) == 1

    # Pressed again under the prompt: taken back, by its giver only.
    by_ben = await answer(client, fake_discord, press(prompt.json["data"], "Undo", user=BEN))
    assert "nothing to undo" in by_ben["content"]
    done = await answer(client, fake_discord, press(prompt.json["data"], "Undo", roles=()))
    assert "is removed" in done["content"]
    assert await kudos_count(core) == 0


# -- forms --------------------------------------------------------------------------------


def modal_of(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """The modal a click or menu opened (its first answer)."""
    (opened,) = callbacks(fake, payload)
    assert opened.json["type"] == MODAL, opened.json
    return opened.json["data"]


def opened_as(payload: dict[str, Any], ref: str) -> Submitted:
    """What a modal opened by ``payload`` carries: ``ref``, and that opening's token."""
    return Submitted(ref, opening_token(int(payload["id"])))


def inputs_of(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert all(row["type"] == LABEL for row in modal["components"])
    return {row["component"]["custom_id"]: row["component"] for row in modal["components"]}


async def test_edit_opens_the_form_errors_reopen_it_filled_and_a_fix_previews(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Trivia night, Friday 7 pm.")
    edit = press(body, "Edit")
    await run_interaction(client, edit)
    modal = modal_of(fake_discord, edit)
    assert read_custom_id(modal["custom_id"]) == opened_as(edit, "bc:compose:1")
    fields = inputs_of(modal)
    assert fields["audience"]["type"] == STRING_SELECT
    assert fields["channel"]["type"] == CHANNEL_SELECT
    assert fields["message"]["type"] == TEXT_INPUT and fields["message"]["style"] == 2
    assert fields["message"]["value"] == "Trivia night, Friday 7 pm."  # prefilled
    assert all(len(row["label"]) <= 45 for row in modal["components"])

    # Submitted with a bad time and to a channel without picking one.
    bad = modal_submit(
        modal["custom_id"],
        [
            string_select("audience", ["channel"]),
            text_input("message", "Trivia night moves to Saturday."),
            text_input("at", "next friday"),
        ],
        user=ANA,
        roles=STAFF,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )
    errors = await answer(client, fake_discord, bad)
    assert "Please fix the form" in errors["content"]
    assert "**Send time" in errors["content"] and "YYYY-MM-DD HH:MM" in errors["content"]
    reopen = press(errors, "Fix the form")
    await run_interaction(client, reopen)
    reopened = modal_of(fake_discord, reopen)
    # A new opening of the form, with its own token.
    assert read_custom_id(reopened["custom_id"]) == opened_as(reopen, "bc:compose:1")
    refilled = inputs_of(reopened)
    assert refilled["message"]["value"] == "Trivia night moves to Saturday."
    assert refilled["at"]["value"] == "next friday"

    # Another member cannot open Ana's kept form.
    stolen = press(errors, "Fix the form", user=BEN)
    await run_interaction(client, stolen)
    (expired,) = callbacks(fake_discord, stolen)
    assert expired.json["type"] == 4 and FORM_EXPIRED[:30] in expired.json["data"]["content"]

    fixed = modal_submit(
        reopened["custom_id"],
        [
            string_select("audience", ["announcements"]),
            text_input("message", "Trivia night moves to Saturday."),
            text_input("at", ""),
        ],
        user=ANA,
        roles=STAFF,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )
    again = await answer(client, fake_discord, fixed)
    assert "Preview of broadcast #2" in again["content"]
    assert button_id(again, "Confirm") == "bc:confirm:2"
    confirmed = await answer(client, fake_discord, press(again, "Confirm"))
    assert "Broadcast #2 is scheduled" in confirmed["content"]
    assert await scheduled(core) == 1


async def test_a_member_cannot_submit_an_edit_of_someone_elses_draft(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    await preview(client, fake_discord, "Annual meeting agenda.")
    forged = modal_submit(
        "bc:compose:1",
        [string_select("audience", ["announcements"]), text_input("message", "Hijacked")],
        user=BEN,
        roles=STAFF,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )
    refused = await answer(client, fake_discord, forged)
    assert "Preview" not in refused["content"]
    assert await scheduled(core) == 0


# -- right-click menus -------------------------------------------------------------------


async def test_give_kudos_on_a_member_opens_the_form_with_them_picked(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    menu = user_menu("Give kudos", BEN, user=ANA, guild_id=GUILD_ID, channel_id=CHANNEL_ID)
    await run_interaction(client, menu)
    modal = modal_of(fake_discord, menu)
    assert read_custom_id(modal["custom_id"]) == opened_as(menu, "kd:give")
    fields = inputs_of(modal)
    assert fields["user"]["type"] == USER_SELECT
    assert fields["user"]["default_values"] == [{"id": BEN.id, "type": "user"}]

    submitted = modal_submit(
        modal["custom_id"],
        [user_select("user", [BEN]), text_input("reason", "for the storytime @everyone")],
        user=ANA,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
        picked=(BEN,),
    )
    done = await answer(client, fake_discord, submitted)
    assert "Done!" in done["content"]
    (post,) = fake_discord.messages_in(KUDOS_CHANNEL_ID)
    assert f"<@{BEN.id}>" in post.json["content"] and "@everyone" not in post.json["content"]
    assert post.json["allowed_mentions"]["parse"] == []
    assert BEN.id in post.json["allowed_mentions"]["users"]
    assert await kudos_count(core) == 1


async def test_give_kudos_for_a_message_picks_its_author_and_links_it(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    menu = message_menu(
        "Give kudos for this message",
        CARA,
        content="Here are the slides from today",
        message_id=1260000000000000001,
        user=ANA,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )
    await run_interaction(client, menu)
    fields = inputs_of(modal_of(fake_discord, menu))
    assert fields["user"]["default_values"] == [{"id": CARA.id, "type": "user"}]
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/1260000000000000001"
    assert fields["reason"]["value"] == f"for this message: {link}"

    # Giving kudos to oneself from one's own message is refused by the core, politely.
    own = modal_submit(
        "kd:give",
        [user_select("user", [ANA]), text_input("reason", "for my slides")],
        user=ANA,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
        picked=(ANA,),
    )
    refused = await answer(client, fake_discord, own)
    assert "Done!" not in refused["content"]
    assert await kudos_count(core) == 0


async def test_concurrent_clicks_act_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Parking lot closed Monday.")
    presses = [press(body, "Confirm") for _ in range(6)]
    for payload in presses[:-1]:
        client._connection.parse_interaction_create(payload)
    await run_interaction(client, presses[-1])
    told = [f.json["content"] for p in presses for f in followups(fake_discord, p)]
    assert sum("is scheduled" in text for text in told) == 1, told
    assert await scheduled(core) == 1


async def test_a_rate_limited_click_is_still_answered_within_the_window(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    body = await preview(client, fake_discord, "Book club picks are in.")
    fake_discord.rate_limit_next("/callback", times=3)
    payload = press(body, "Confirm")
    confirmed = await answer(client, fake_discord, payload)
    assert [c.status for c in callbacks(fake_discord, payload)] == [429, 429, 429, 200]
    assert "Broadcast #1 is scheduled" in confirmed["content"]


# -- on SQLite and PostgreSQL ----------------------------------------------------------


@pytest.fixture
async def client_on_any_database(
    database: Database,
    settings: Settings,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
    fake_discord: FakeDiscord,
) -> AsyncIterator[MemberBotClient]:
    """A logged-in client whose core stores in ``database`` (SQLite, and PostgreSQL)."""
    bot = build_client(settings=discord_settings())
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=bot.sender,
    )
    await core.start()
    bot.attach(core)
    await bot.login("test-token")
    try:
        yield bot  # type: ignore[misc]
    finally:
        await bot.close()


async def test_replayed_and_concurrent_clicks_act_once_on_each_database(
    client_on_any_database: MemberBotClient, fake_discord: FakeDiscord, database: Database
) -> None:
    client = client_on_any_database
    body = await preview(client, fake_discord, "Holiday hours posted.")
    first = press(body, "Confirm")
    by_ana = [first, first, *(press(body, "Confirm") for _ in range(6))]  # a replay, and more
    by_ben = [press(body, label, user=BEN) for label in ("Confirm", "Edit") * 3]
    mixed = [click for pair in zip(by_ana, by_ben, strict=False) for click in pair]
    mixed += by_ana[len(by_ben) :]
    for payload in mixed[:-1]:
        client._connection.parse_interaction_create(payload)
    await run_interaction(client, mixed[-1])

    told = [f.json["content"] for p in by_ana[1:] for f in followups(fake_discord, p)]
    assert sum("is scheduled" in text for text in told) == 1, told
    for payload in by_ben:  # the wrong member, however the clicks interleave: never acted
        (refused,) = followups(fake_discord, payload)
        assert "is scheduled" not in refused.json["content"]
        if button_id(body, "Edit") == payload["data"]["custom_id"]:
            assert "drafted by someone else" in refused.json["content"]
            assert callbacks(fake_discord, payload)[0].json["type"] != MODAL
    async with database.session() as session:
        deliveries = await session.scalar(select(func.count()).select_from(BroadcastDelivery))
    assert deliveries == 1


# -- one opened form, submitted twice ---------------------------------------------------


async def drafts(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Broadcast)) or 0)


async def open_broadcast_form(client: MemberBotClient, fake: FakeDiscord) -> dict[str, Any]:
    """Ana (staff) opens the broadcast form with ``/broadcast form``; the modal."""
    opened = command_interaction("broadcast", sub_command("form"), user=ANA, roles=STAFF)
    await run_interaction(client, opened)
    return modal_of(fake, opened)


def compose(custom_id: str, text: str) -> dict[str, Any]:
    """Ana submits the broadcast form (each call its own interaction, its own id)."""
    return modal_submit(
        custom_id,
        [string_select("audience", ["announcements"]), text_input("message", text)],
        user=ANA,
        roles=STAFF,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )


async def test_the_same_opened_form_submitted_twice_makes_one_draft_on_each_database(
    client_on_any_database: MemberBotClient, fake_discord: FakeDiscord, database: Database
) -> None:
    client = client_on_any_database
    modal = await open_broadcast_form(client, fake_discord)
    # A double tap on Submit: two interactions with two ids, from one opened modal.
    first, second = (compose(modal["custom_id"], "Garden day on Sunday.") for _ in range(2))
    assert first["id"] != second["id"]
    previewed = await answer(client, fake_discord, first)
    assert "Preview of broadcast #1" in previewed["content"]
    await run_interaction(client, second)
    # The repeat is answered as one: deferred, then its placeholder removed.
    assert [c.json["type"] for c in callbacks(fake_discord, second)] == [5]
    assert followups(fake_discord, second) == []
    (removed,) = fake_discord.calls("DELETE", f"/webhooks/{APPLICATION_ID}/{second['token']}/")
    assert removed.path.endswith("/messages/@original")
    assert await drafts(database) == 1

    # Sent again while the first is being handled (a dropped connection): one draft.
    modal = await open_broadcast_form(client, fake_discord)
    both = [compose(modal["custom_id"], "Seed swap on Monday.") for _ in range(2)]
    client._connection.parse_interaction_create(both[0])
    await run_interaction(client, both[1])
    told = [f.json["content"] for p in both for f in followups(fake_discord, p)]
    assert len(told) == 1 and "Preview of broadcast #2" in told[0], told
    assert await drafts(database) == 2


async def test_a_kudos_form_submitted_twice_gives_kudos_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    menu = user_menu("Give kudos", BEN, user=ANA, guild_id=GUILD_ID, channel_id=CHANNEL_ID)
    await run_interaction(client, menu)
    custom_id = modal_of(fake_discord, menu)["custom_id"]
    twice = [
        modal_submit(
            custom_id,
            [user_select("user", [BEN]), text_input("reason", "for running the bake sale")],
            user=ANA,
            guild_id=GUILD_ID,
            channel_id=CHANNEL_ID,
            picked=(BEN,),
        )
        for _ in range(2)
    ]
    assert "Done!" in (await answer(client, fake_discord, twice[0]))["content"]
    await run_interaction(client, twice[1])
    assert followups(fake_discord, twice[1]) == []  # the repeat: its placeholder removed
    assert fake_discord.calls("DELETE", f"/webhooks/{APPLICATION_ID}/{twice[1]['token']}/")
    assert len(fake_discord.messages_in(KUDOS_CHANNEL_ID)) == 1
    assert await kudos_count(core) == 1


async def test_a_new_opening_of_the_same_form_is_not_a_repeat(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    first = await open_broadcast_form(client, fake_discord)
    second = await open_broadcast_form(client, fake_discord)
    assert first["custom_id"] != second["custom_id"]
    assert read_custom_id(first["custom_id"]).ref == read_custom_id(second["custom_id"]).ref
    for number, modal in enumerate((first, second), start=1):
        submitted = compose(modal["custom_id"], f"Notice number {number}.")
        previewed = await answer(client, fake_discord, submitted)
        assert f"Preview of broadcast #{number}" in previewed["content"]
    assert await drafts(core.database) == 2


async def test_a_form_opened_before_tokens_is_still_read_and_acts_per_interaction(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    # A modal opened by an older version: its custom id is the reference alone.
    old = compose("bc:compose", "Choir rehearsal at 6.")
    assert "Preview of broadcast #1" in (await answer(client, fake_discord, old))["content"]
    await run_interaction(client, old)  # the same interaction delivered again
    assert len(followups(fake_discord, old)) == 1
    assert await drafts(core.database) == 1


def test_a_form_whose_reference_leaves_no_room_for_a_token_opens_without_one() -> None:
    field = (FormField("message", "Message", FieldKind.LONG_TEXT),)
    roomy = Form("Broadcast", ActionRef("broadcast", "compose", ("1",)), field)
    assert read_custom_id(form_modal(roomy, opening=1).custom_id) == Submitted("bc:compose:1", "1")
    # An 86-character reference still takes the longest token (13 characters and "~").
    fits = Form("Broadcast", ActionRef("broadcast", "compose", ("a" * 75,)), field)
    biggest = 2**64 - 1
    carried = read_custom_id(form_modal(fits, opening=biggest).custom_id)
    assert carried == Submitted(fits.ref.encode(), opening_token(biggest))
    assert carried.opening == biggest and len(form_modal(fits, opening=biggest).custom_id) == 100
    # A longer one is sent alone: its submission is told apart by its interaction id.
    full = Form("Broadcast", ActionRef("broadcast", "compose", ("a" * 80, "b" * 8)), field)
    modal = form_modal(full, opening=biggest)
    assert modal.custom_id == full.ref.encode() and len(modal.custom_id) == 100
    submitted = read_custom_id(modal.custom_id)
    assert submitted == Submitted(full.ref.encode())
    assert submitted.delivery_id(interaction_id=42, user_id=7) == "42"
    # With a token, the delivery is the opening's (and the member's), not the interaction's.
    tokened = read_custom_id(form_modal(roomy, opening=biggest).custom_id)
    assert tokened.delivery_id(interaction_id=42, user_id=7) == f"modal:7:{tokened.token}"
    assert tokened.delivery_id(interaction_id=43, user_id=7) == f"modal:7:{tokened.token}"


async def test_a_broadcast_is_written_previewed_and_confirmed_without_typing_an_argument(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    opened = command_interaction("broadcast", sub_command("form"), user=ANA, roles=STAFF)
    await run_interaction(client, opened)
    modal = modal_of(fake_discord, opened)
    assert read_custom_id(modal["custom_id"]) == opened_as(opened, "bc:compose")
    assert set(inputs_of(modal)) == {
        "audience",
        "channel",
        "message",
        "at",
    }
    submitted = modal_submit(
        modal["custom_id"],
        [string_select("audience", ["announcements"]), text_input("message", "Hello @here")],
        user=ANA,
        roles=STAFF,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    )
    previewed = await answer(client, fake_discord, submitted)
    assert "Preview of broadcast #1" in previewed["content"]
    assert "@here" not in previewed["content"]  # shown inert, never pinging
    confirmed = await answer(client, fake_discord, press(previewed, "Confirm"))
    assert "Broadcast #1 is scheduled" in confirmed["content"]
    assert await scheduled(core) == 1

    # A member who is not staff gets the refusal, not the form.
    by_cara = command_interaction("broadcast", sub_command("form"), user=CARA)
    refused = await answer(client, fake_discord, by_cara)
    assert "staff only" in refused["content"]
    assert callbacks(fake_discord, by_cara)[0].json["type"] != MODAL


async def test_an_answer_to_a_mention_carries_its_button_and_a_select_choice_acts(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    question = message_create(
        f"<@{BOT_ID}> what colour is the treasurer's bicycle?", author=BEN, mentions=(BOT_USER,)
    )
    client._connection.parse_message_create(question)
    await settle()
    (answered,) = fake_discord.messages_in(CHANNEL_ID)
    ask = button_id(answered.json, "Ask someone")
    assert ask.startswith("ask:forward:")
    assert answered.json["allowed_mentions"]["parse"] == []

    # A select's choice is a click on the action it stands for.
    body = await preview(client, fake_discord, "Potluck sign-up is open.")
    choice = click(
        "!select:0",
        message=on_message(body),
        user=ANA,
        roles=STAFF,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
        values=["bc:confirm:1"],
    )
    assert "Broadcast #1 is scheduled" in (await answer(client, fake_discord, choice))["content"]


def test_a_select_renders_its_choices_as_actions() -> None:
    view = actions_view(
        (
            Select(
                "Remind me…",
                (
                    SelectOption("a week before", ActionRef("reminders", "set", ("7",))),
                    SelectOption("the day before", ActionRef("reminders", "set", ("1",))),
                ),
            ),
            Button("Off", ActionRef("reminders", None, ("off",)), ButtonStyle.DANGER),
        )
    )
    assert view is not None
    rows = view.to_components()
    select, button = rows[0]["components"][0], rows[1]["components"][0]
    assert select["custom_id"] == "!select:0"
    assert [o["value"] for o in select["options"]] == ["rm:set:7", "rm:set:1"]
    assert button["custom_id"] == "rm::off" and button["style"] == 4


async def test_a_form_the_core_answers_too_late_for_a_modal_is_offered_as_a_button(
    client: MemberBotClient,
    fake_discord: FakeDiscord,
    core: BotCore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = await preview(client, fake_discord, "Craft fair stalls available.")
    monkeypatch.setattr(clicks, "FORM_BUDGET_SECONDS", 0.0)  # the core is never in time
    edit = press(body, "Edit")
    offered = await answer(client, fake_discord, edit)
    assert callbacks(fake_discord, edit)[0].json["type"] == 5  # deferred, not a modal
    assert "Edit broadcast #1" in offered["content"]
    opened = press(offered, "Open the form")
    await run_interaction(client, opened)
    fields = inputs_of(modal_of(fake_discord, opened))
    assert fields["message"]["value"] == "Craft fair stalls available."
