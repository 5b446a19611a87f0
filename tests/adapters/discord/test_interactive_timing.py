"""Every click, form and right-click menu is answered within Discord's 3 seconds.

Many at once (clicks on several previews, forms submitted, menus opened), through
discord.py's parsing against the fake: the time from the interaction reaching the
client to its first answer (a deferral, a modal, a prompt) arriving at the fake.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from adapters.discord.app import MemberBotClient
from adapters.discord.interactions import ACK_WINDOW_SECONDS
from tests.adapters.discord.conftest import ANA, BEN, run_interaction
from tests.adapters.discord.payloads import CHANNEL_ID, GUILD_ID
from tests.adapters.discord.test_interactive import STAFF, callbacks, on_message, preview
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_discord_interactions import (
    button_id,
    click,
    modal_submit,
    string_select,
    text_input,
    user_menu,
)

ROUNDS = 20


def _mix(bodies: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Confirm and Edit presses, form submissions and menus, interleaved."""
    mixed: list[tuple[str, dict[str, Any]]] = []
    for round_number in range(ROUNDS):
        body = bodies[round_number % len(bodies)]
        for label in ("Confirm", "Edit"):
            mixed.append(
                (
                    f"click {label}",
                    click(
                        button_id(body, label),
                        message=on_message(body),
                        user=ANA,
                        roles=STAFF,
                        guild_id=GUILD_ID,
                        channel_id=CHANNEL_ID,
                    ),
                )
            )
        form = [string_select("audience", ["announcements"]), text_input("message", "Hi all")]
        mixed.append(
            (
                "form",
                modal_submit(
                    "bc:compose",
                    form,
                    user=ANA,
                    roles=STAFF,
                    guild_id=GUILD_ID,
                    channel_id=CHANNEL_ID,
                ),
            )
        )
        mixed.append(
            (
                "menu",
                user_menu("Give kudos", BEN, user=ANA, guild_id=GUILD_ID, channel_id=CHANNEL_ID),
            )
        )
    return mixed


async def test_clicks_forms_and_menus_are_answered_within_the_window_under_load(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    bodies = [await preview(client, fake_discord, f"Notice number {n}") for n in range(4)]
    mixed = _mix(bodies)
    started: dict[str, float] = {}
    for _, payload in mixed[:-1]:
        started[payload["id"]] = time.monotonic()
        client._connection.parse_interaction_create(payload)
    started[mixed[-1][1]["id"]] = time.monotonic()
    await run_interaction(client, mixed[-1][1])

    waits: dict[str, list[float]] = {}
    for kind, payload in mixed:
        first = callbacks(fake_discord, payload)[0]
        assert first.status == 200
        waits.setdefault(kind, []).append(first.received_at - started[payload["id"]])
    rows = [
        f"{kind:<14} n={len(times):>3}  median {statistics.median(times) * 1000:7.1f} ms"
        f"  max {max(times) * 1000:7.1f} ms"
        for kind, times in waits.items()
    ]
    print("\n" + "\n".join(rows))
    assert max(max(times) for times in waits.values()) < ACK_WINDOW_SECONDS
