"""Typed model of the knowledge file (``data/knowledge.yaml``).

Knowledge file format (YAML; all keys below, nothing else is accepted)::

    organisation:            # who the bot speaks for
      name: ALSC
      timezone: America/Chicago        # IANA name; dates are read and shown in it
      default_contact: elly            # contact id named when the bot does not know

    contacts:                # people members can be sent to
      - id: elly                       # short unique id: lower case, digits, dashes
        name: Elizabeth "Elly" Serrano
        role: Membership and Marketing Specialist   # optional
        email: eserrano@ala.org                     # optional
        about: [membership, mentoring]              # optional: what to ask them

    synonyms:                # optional: words that mean the same thing
      - [distinguished service award, dsa]     # first term is the canonical one
      - [thank, thanks, kudos]

    entries:                 # one entry per thing a member might ask about
      - id: mentoring-length           # short unique id
        title: How long the mentoring program lasts
        questions:                     # ways members ask it (at least one)
          - How long does the mentoring program last?
        keywords: [duration]           # optional extra search words
        answer: |                      # what the bot replies (neutral markup)
          The program lasts **one year**.
        tags: [mentoring]              # optional
        links:                         # optional
          - {title: ALSC website, url: "https://www.example.org"}
        contact: elly                  # optional contact id

    deadlines:               # optional: dated deadlines and events
      - id: mentoring-applications-2021     # stable id: reminders depend on it
        title: Mentoring program applications close
        date: 2021-10-11                    # YYYY-MM-DD
        time: "17:00"                       # optional, 24-hour clock, quote it
        timezone: America/Chicago           # optional, defaults to the organisation's
        kind: deadline                      # deadline (default) or event
        closes: on                          # on (default) or before: "before" means
                                            # the date itself is too late
        entry: mentoring-apply              # optional related entry id
        description: Applications for mentors and mentees.   # optional

Neutral markup in answers: paragraphs separated by a blank line, ``**bold**``,
``[label](https://url)``, and lines starting with ``- `` as bullet items.
``{deadline:ID}`` in an answer names that deadline's date in the right tense for
the day the question is asked ("closes on ... (in 10 days)" / "closed on ...").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

#: Ids are short slugs so they are easy to type in commands and stable in the database.
Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: The hour an untimed item "starts" at; see :meth:`Deadline.starts_at`.
UNTIMED_START = dt.time(9, 0)


def _check_timezone(name: str) -> str:
    """Reject time zone names the system database does not know."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (use a name like America/Chicago)") from error
    return name


class _Strict(BaseModel):
    """Base model: unknown keys are errors, so typos in the file are caught."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Strict):
    """A labelled web link shown under an answer."""

    title: NonEmptyText
    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]


class Contact(_Strict):
    """A person (or team) members can be pointed to."""

    id: Identifier
    name: NonEmptyText
    role: str = ""
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    about: list[NonEmptyText] = Field(default_factory=list)

    def introduction(self) -> str:
        """Name, role and email in one phrase, e.g. ``Elly (Specialist), eserrano@ala.org``."""
        text = self.name
        if self.role:
            text += f", {self.role}"
        if self.email:
            text += f" ({self.email})"
        return text


class Organisation(_Strict):
    """Who the bot speaks for."""

    name: NonEmptyText
    timezone: str
    default_contact: Identifier

    @field_validator("timezone")
    @classmethod
    def _timezone_known(cls, value: str) -> str:
        return _check_timezone(value)

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's time zone object."""
        return ZoneInfo(self.timezone)


class Entry(_Strict):
    """One thing members ask about, with the phrasings they use and the answer."""

    id: Identifier
    title: NonEmptyText
    questions: Annotated[list[NonEmptyText], Field(min_length=1)]
    keywords: list[NonEmptyText] = Field(default_factory=list)
    answer: NonEmptyText
    tags: list[NonEmptyText] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    contact: Identifier | None = None


class Deadline(_Strict):
    """A dated deadline or event (the reminders feature schedules from these)."""

    id: Identifier
    title: NonEmptyText
    date: dt.date
    time: dt.time | None = None
    timezone: str | None = None
    description: str = ""
    entry: Identifier | None = None
    kind: Literal["deadline", "event"] = "deadline"
    #: "on": the date itself is the last day; "before": it must be done before the
    #: date, so the date itself is already too late ("renew before January 31").
    closes: Literal["on", "before"] = "on"

    @field_validator("timezone")
    @classmethod
    def _timezone_known(cls, value: str | None) -> str | None:
        return None if value is None else _check_timezone(value)

    def zone(self, default_tz: ZoneInfo) -> ZoneInfo:
        """The item's own time zone, or ``default_tz`` (the organisation's) when unset."""
        return ZoneInfo(self.timezone) if self.timezone else default_tz

    def starts_at(self, default_tz: ZoneInfo) -> dt.datetime:
        """The aware moment the item happens.

        Rule: a timed item starts at its time in its own zone (or ``default_tz``).
        An untimed item starts at 09:00 local time on its date: reminders then
        arrive during working hours, and a deadline dated today is still open
        for the whole of that day (the bot compares dates, not this moment, to
        decide whether something has passed).
        """
        return dt.datetime.combine(
            self.date, self.time or UNTIMED_START, tzinfo=self.zone(default_tz)
        )

    @property
    def last_day(self) -> dt.date:
        """The last day it can still be done (the day before ``date`` for "before")."""
        return self.date - dt.timedelta(days=1) if self.closes == "before" else self.date

    def has_passed(self, today: dt.date) -> bool:
        """True once ``today`` is after the last day (an item due today has not passed)."""
        return self.last_day < today


class Knowledge(_Strict):
    """The whole knowledge file."""

    organisation: Organisation
    contacts: Annotated[list[Contact], Field(min_length=1)]
    synonyms: list[Annotated[list[NonEmptyText], Field(min_length=2)]] = Field(default_factory=list)
    entries: Annotated[list[Entry], Field(min_length=1)]
    deadlines: list[Deadline] = Field(default_factory=list)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return _by_id(self.entries, entry_id)

    def contact(self, contact_id: str) -> Contact | None:
        """The contact with this id, or None."""
        return _by_id(self.contacts, contact_id)

    def deadline(self, deadline_id: str) -> Deadline | None:
        """The deadline or event with this id, or None."""
        return _by_id(self.deadlines, deadline_id)

    def default_contact(self) -> Contact:
        """The contact named when the bot cannot answer (checked at load time)."""
        contact = self.contact(self.organisation.default_contact)
        if contact is None:
            raise LookupError(f"unknown default contact {self.organisation.default_contact!r}")
        return contact

    def deadlines_for(self, entry_id: str) -> list[Deadline]:
        """Deadlines and events related to an entry, oldest first."""
        related = [item for item in self.deadlines if item.entry == entry_id]
        return sorted(related, key=lambda item: (item.date, item.time or UNTIMED_START))


_Item = TypeVar("_Item", Entry, Contact, Deadline)


def _by_id(items: list[_Item], wanted: str) -> _Item | None:
    for item in items:
        if item.id == wanted:
            return item
    return None
