"""A member's home: their kudos, upcoming deadlines, reminders and, for staff, what waits.

:func:`build_home` gathers it from the same services the commands use and returns a
neutral :class:`Home`: titled sections of items, each a message with the buttons
that act on it (Remind me, Cancel a reminder, Confirm a draft). Every button is an
ordinary :class:`~bot.actions.ActionRef` into a command, checked by the core when it
is pressed, so a home shown yesterday can never do more than the commands allow.
Slack shows it as the App Home tab; another platform can show it as a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from bot.actions import Action, ActionRef, Button, ButtonStyle, Select, SelectOption
from bot.broadcasts.listing import list_broadcasts
from bot.broadcasts.messages import snippet
from bot.commands.services import CommandServices
from bot.commands.spec import Catalogue
from bot.date_wording import deadline_when, local_moment
from bot.errors import StorageUnavailable
from bot.kudos.rules import day_start_utc
from bot.reminders.lead_times import WHEN_CHOICES, describe, offset_days
from bot.reminders.planning import upcoming
from bot.replies import Message, MessageBuilder, counted, text_message
from bot.requests import UserRef
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import BroadcastKind, BroadcastStatus

log = logging.getLogger(__name__)

#: Deadlines shown with a Remind me choice (Slack shows at most 100 blocks in a view).
MAX_DEADLINES = 8
#: Broadcasts and reminders listed per section.
MAX_LISTED = 5
BROADCAST_SNIPPET = 80
UNAVAILABLE_TEXT = (
    "I can't reach my database right now, so your kudos and reminders are not shown. "
    "Please open this tab again in a minute."
)


@dataclass(frozen=True, slots=True)
class HomeItem:
    """One line of a section and the buttons or select acting on it."""

    message: Message
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True, slots=True)
class HomeSection:
    title: str
    items: tuple[HomeItem, ...]


@dataclass(frozen=True, slots=True)
class Home:
    """What a member sees on their home: ``notice`` first (what their last click did)."""

    member: UserRef
    sections: tuple[HomeSection, ...] = ()
    notice: Message | None = None
    is_staff: bool = False


async def build_home(
    services: CommandServices,
    member: UserRef,
    *,
    is_staff: bool,
    now: datetime,
    today: date,
    notice: Message | None = None,
) -> Home:
    """The home of ``member`` as of ``now``; a database outage shows a short apology."""
    sections: list[HomeSection] = []
    try:
        sections.append(await _kudos_section(services, member, now=now, today=today))
        sections.append(_deadlines_section(services, today=today))
        sections.append(await _reminders_section(services, member, now=now))
        if is_staff:
            sections.append(await _staff_section(services, member, now=now))
    except StorageUnavailable:
        log.warning("home shown without the database", extra={"user": member.user_id})
        sections = [HomeSection("Your home", (HomeItem(text_message(UNAVAILABLE_TEXT)),))]
    return Home(
        member=member,
        sections=tuple(s for s in sections if s.items),
        notice=notice,
        is_staff=is_staff,
    )


async def _kudos_section(
    services: CommandServices, member: UserRef, *, now: datetime, today: date
) -> HomeSection:
    zone = services.zone
    month_start = day_start_utc(today.replace(day=1), zone)
    day_start = day_start_utc(today, zone)
    async with services.kudos_history.database.unit_of_work() as work:
        row = await work.members.ensure(member, now=now)
        received = await work.kudos.received_since(row.id, month_start)
        given_month = await work.kudos.given_since(row.id, month_start)
        given_today = await work.kudos.given_since(row.id, day_start)
    quota = services.kudos_rules.daily_quota
    left = max(0, quota - given_today)
    line = MessageBuilder().paragraph(
        f"This month you received {counted(received, 'kudos', 'kudos')} and gave "
        f"{counted(given_month, 'kudos', 'kudos')}. "
        f"You can give {left} more today."
    )
    actions: tuple[Action, ...] = ()
    if "kudos" in services.catalogue:
        actions = (Button("Give kudos", ActionRef("kudos"), ButtonStyle.PRIMARY),)
    return HomeSection("Kudos", (HomeItem(line.build(), actions),))


def _deadlines_section(services: CommandServices, *, today: date) -> HomeSection:
    knowledge = services.answers.current
    zone = services.zone
    can_remind = _has_subcommand(services.catalogue, "reminders", "remind")
    items: list[HomeItem] = []
    for deadline in upcoming(knowledge, today)[:MAX_DEADLINES]:
        message = (
            MessageBuilder().paragraph(f"{deadline.title}: {deadline_when(deadline, zone)}").build()
        )
        items.append(HomeItem(message, _remind_choice(deadline.id) if can_remind else ()))
    if not items:
        items.append(HomeItem(text_message("No upcoming deadlines.")))
    return HomeSection("Upcoming deadlines", tuple(items))


def _remind_choice(deadline_id: str) -> tuple[Action, ...]:
    """Remind me: a week before, the day before or that morning (the member picks)."""
    try:
        options = tuple(
            SelectOption(
                describe(offset_days(when)).capitalize(),
                ActionRef("reminders", "remind", (deadline_id, when)),
            )
            for when in WHEN_CHOICES
        )
        for option in options:
            option.ref.encode()  # an id outside the encoding gets no button, not an error
    except ValueError:
        log.warning("deadline id cannot travel in a button", extra={"deadline": deadline_id})
        return ()
    return (Select("Remind me…", options),)


async def _reminders_section(
    services: CommandServices, member: UserRef, *, now: datetime
) -> HomeSection:
    items: list[HomeItem] = []
    if _has_subcommand(services.catalogue, "reminders", "list"):
        for reminder in (await services.member_reminders.mine(member, now=now))[:MAX_LISTED]:
            text = (
                f"#{reminder.id} {reminder.title}: {describe(reminder.offset_days)} "
                f"({local_moment(reminder.due_at, services.zone)})"
            )
            cancel = Button("Cancel", ActionRef("reminders", "cancel", (str(reminder.id),)))
            items.append(HomeItem(text_message(text), (cancel,)))
        if not items:
            items.append(HomeItem(text_message("You have no deadline reminders yet.")))
    opted_out = await services.dm_choice.opted_out(member, now=now)
    if opted_out:
        choice = "Broadcast DMs (staff announcements) are off for you."
        toggle = Button("Turn them on", ActionRef("reminders", "on"))
    else:
        choice = "Broadcast DMs (staff announcements) are on for you."
        toggle = Button("Turn them off", ActionRef("reminders", "off"))
    items.append(HomeItem(text_message(choice), (toggle,)))
    return HomeSection("Your reminders", tuple(items))


async def _staff_section(
    services: CommandServices, member: UserRef, *, now: datetime
) -> HomeSection:
    database = services.kudos_history.database
    async with database.unit_of_work() as work:
        unanswered = await work.questions.open_count(member.platform)
    items = [HomeItem(text_message(f"Unanswered questions: {unanswered}."))]
    listing = await list_broadcasts(
        database,
        platform=member.platform,
        workspace_id=member.workspace_id,
        now=now,
        limit=4 * MAX_LISTED,
    )
    drafts = [s.broadcast for s in listing.staff if s.broadcast.status == BroadcastStatus.DRAFT]
    scheduled = [s.broadcast for s in listing.staff if s.state(now) == "scheduled"]
    for broadcast in scheduled[:MAX_LISTED]:
        when = local_moment(broadcast.due_at, services.zone)
        text = f"Scheduled #{broadcast.id} for {when}: {_about(broadcast)}"
        items.append(HomeItem(text_message(text)))
    for broadcast in drafts[:MAX_LISTED]:
        number = str(broadcast.id)
        actions = (
            Button("Confirm", ActionRef("broadcast", "confirm", (number,)), ButtonStyle.PRIMARY),
            Button("Cancel", ActionRef("broadcast", "cancel", (number,)), ButtonStyle.DANGER),
        )
        text = f"Draft #{broadcast.id} awaiting confirmation: {_about(broadcast)}"
        items.append(HomeItem(text_message(text), actions))
    if not drafts and not scheduled:
        items.append(HomeItem(text_message("No scheduled broadcasts and no drafts.")))
    return HomeSection("For staff", tuple(items))


def _about(broadcast: Broadcast) -> str:
    assert broadcast.kind == BroadcastKind.STAFF
    return snippet(broadcast.body, BROADCAST_SNIPPET)


def _has_subcommand(catalogue: Catalogue, command: str, subcommand: str) -> bool:
    spec = catalogue.get(command)
    return spec is not None and spec.subcommand(subcommand) is not None
