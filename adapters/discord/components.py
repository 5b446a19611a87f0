"""Reply actions -> Discord message components, and the custom ids the adapter keeps.

Every button's ``custom_id`` is the encoded action reference (:mod:`bot.actions`),
and every select option's value is one. Nothing about a button lives in memory:
the components are sent in a view that discord.py never stores, so every click
reaches the one dispatcher (:mod:`adapters.discord.clicks`), before and after a
restart alike, and the core checks the reference against whoever clicked.

Custom ids the adapter keeps for itself start with characters the action encoding
never uses, so they can never be mistaken for (or forged into) an action:

* ``?<action>``: a button with a confirm prompt. Discord has none, so the click
  first answers privately with the prompt and the real button (``<action>``).
* ``!dismiss``: "Cancel" under such a prompt (nothing is done).
* ``!select:<n>``: a select menu; the chosen option's value is the action.
* ``!form:<token>``: reopen a form (after field errors, or when one could not be
  opened at once); the form itself is kept in memory for a while (see
  :class:`~adapters.discord.modals.OpenForms`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.actions import Action, Button, ButtonStyle, Select

log = logging.getLogger(__name__)

CONFIRM_PREFIX = "?"
OWN_PREFIX = "!"
DISMISS_ID = "!dismiss"
SELECT_PREFIX = "!select:"
FORM_PREFIX = "!form:"
#: Discord's limits on a component's custom id, a button label and a select's texts.
CUSTOM_ID_LIMIT = 100
LABEL_LIMIT = 80
OPTION_LABEL_LIMIT = 100
PLACEHOLDER_LIMIT = 150

STYLES = {
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


class SentComponents(discord.ui.View):
    """Components to send that discord.py never keeps: no timeout, no callbacks.

    Not dispatchable, so discord.py neither stores it per message nor gives it a
    15-minute timeout on ephemeral follow-ups; clicks go to the dispatcher instead.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        return False


def shorten(text: str, limit: int) -> str:
    """``text`` within one of Discord's length limits, cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def actions_view(actions: Sequence[Action]) -> SentComponents | None:
    """The components for a reply's actions, in order; ``None`` when it has none.

    Discord takes 5 rows of 5 buttons (a select fills a row): actions past that
    are left out and logged, never an error for the member.
    """
    if not actions:
        return None
    view = SentComponents()
    for index, action in enumerate(actions):
        item = button_item(action) if isinstance(action, Button) else select_item(action, index)
        if item is None:
            continue
        try:
            view.add_item(item)
        except ValueError as error:
            log.error("action left out: %s", error, extra={"action": index})
            break
    return view if view.children else None


def button_item(button: Button, *, asked: bool = False) -> discord.ui.Button[SentComponents] | None:
    """One button; ``asked`` means its confirm prompt was answered (it acts now)."""
    custom_id = button.ref.encode()
    if button.confirm is not None and not asked:
        custom_id = CONFIRM_PREFIX + custom_id
        if len(custom_id) > CUSTOM_ID_LIMIT:
            # Never shown without its prompt: a destructive button must ask first.
            log.error("button left out: no room for its confirm prompt", extra={"id": custom_id})
            return None
    return discord.ui.Button(
        label=shorten(button.label, LABEL_LIMIT), custom_id=custom_id, style=STYLES[button.style]
    )


def select_item(select: Select, index: int) -> discord.ui.Select[SentComponents]:
    """A select whose options' values are the actions they stand for."""
    return discord.ui.Select(
        custom_id=f"{SELECT_PREFIX}{index}",
        placeholder=shorten(select.placeholder, PLACEHOLDER_LIMIT),
        options=[
            discord.SelectOption(
                label=shorten(option.label, OPTION_LABEL_LIMIT), value=option.ref.encode()
            )
            for option in select.options
        ],
    )


def confirm_prompt_view(custom_id: str, label: str, style: discord.ButtonStyle) -> SentComponents:
    """The real button (acting now) and Cancel, under a confirm prompt."""
    view = SentComponents()
    view.add_item(discord.ui.Button(label=label, custom_id=custom_id, style=style))
    view.add_item(
        discord.ui.Button(label="Cancel", custom_id=DISMISS_ID, style=discord.ButtonStyle.secondary)
    )
    return view


def form_button_view(token: str, label: str) -> SentComponents:
    """One button that opens (or reopens) a kept form."""
    view = SentComponents()
    view.add_item(
        discord.ui.Button(
            label=shorten(label, LABEL_LIMIT),
            custom_id=f"{FORM_PREFIX}{token}",
            style=discord.ButtonStyle.primary,
        )
    )
    return view
