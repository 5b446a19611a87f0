"""Remind me under /deadlines and calendar answers.

Under a list of deadlines, a select names each one; choosing one asks when (a week
before, the day before, that morning), and that choice is ``/reminders remind``
for that deadline. Under an answer about one deadline, the three choices are
buttons straight away. The buttons only name the deadline's id from the
knowledge file; ``/reminders`` checks it (still there, still ahead) when pressed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from bot.actions import Action, ActionRef, Button, Select, SelectOption
from bot.commands.registry import CommandContext
from bot.commands.spec import Catalogue
from bot.date_wording import long_date, month_and_day
from bot.errors import UserError
from bot.knowledge import Deadline
from bot.reminders.lead_times import WHEN_CHOICES, describe, offset_days
from bot.replies import Reply, text_message

log = logging.getLogger(__name__)

SELECT_PLACEHOLDER = "Remind me about…"
#: A select offers at most 25 options (Discord).
MAX_OPTIONS = 25
_LABEL_LIMIT = 75


def can_remind(catalogue: Catalogue) -> bool:
    """Whether ``/reminders remind`` exists here (the buttons route to it)."""
    command = catalogue.get("reminders")
    return command is not None and command.subcommand("remind") is not None


def remind_me(
    deadlines: Sequence[Deadline], catalogue: Catalogue, *, today: date
) -> tuple[Action, ...]:
    """Remind me for these deadlines (those still ahead): three buttons for one, a
    select for several."""
    if not can_remind(catalogue):
        return ()
    usable = [item for item in deadlines if item.date >= today and _encodable(item.id)]
    if len(usable) == 1:
        return when_buttons(usable[0].id)
    options = tuple(
        SelectOption(_label(deadline), ActionRef("deadlines", "remind-when", (deadline.id,)))
        for deadline in usable[:MAX_OPTIONS]
    )
    return (Select(SELECT_PLACEHOLDER, options),) if options else ()


def when_buttons(deadline_id: str) -> tuple[Button, ...]:
    """``Remind me a week before`` / ``the day before`` / ``that morning``."""
    return tuple(
        Button(
            f"Remind me {describe(offset_days(when))}",
            ActionRef("reminders", "remind", (deadline_id, when)),
        )
        for when in WHEN_CHOICES
    )


async def ask_when(ctx: CommandContext) -> Reply:
    """A deadline chosen in the select: when should the reminder come?"""
    wanted = ctx.args.text("deadline")
    knowledge = ctx.services.answers.current
    deadline = next((item for item in knowledge.deadlines if item.id == wanted), None)
    if deadline is None or deadline.date < ctx.today:
        raise UserError(
            "That deadline is no longer in my calendar, so I cannot remind you of it. "
            "Type /deadlines to see what is coming up."
        )
    text = f"When should I remind you about {deadline.title} ({long_date(deadline.date)})?"
    return Reply(text_message(text), actions=when_buttons(deadline.id))


def _label(deadline: Deadline) -> str:
    label = f"{month_and_day(deadline.date)}: {deadline.title}"
    return label if len(label) <= _LABEL_LIMIT else label[: _LABEL_LIMIT - 1] + "…"


def _encodable(deadline_id: str) -> bool:
    """An id outside the action encoding gets no button (it can still be typed)."""
    try:
        for when in WHEN_CHOICES:
            ActionRef("reminders", "remind", (deadline_id, when)).encode()
    except ValueError:
        log.warning("deadline id cannot travel in a button", extra={"deadline": deadline_id})
        return False
    return True
