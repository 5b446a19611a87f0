"""The neutral rich-text Reply model every adapter renders.

A :class:`Message` is a sequence of blocks (paragraphs and bullet lists) made of
inline spans. Member-written text is always a :class:`Text` span, which every
renderer escapes, so it can never ping anyone; only :class:`MentionSpan` spans
notify, and they name exactly the intended member.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

from bot.date_wording import long_date
from bot.requests import UserRef

if TYPE_CHECKING:
    from bot.actions import Action, Form


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text; renderers escape it so it can never format or notify."""

    text: str


@dataclass(frozen=True, slots=True)
class Bold:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """A mention that notifies ``user`` where the platform supports it."""

    user: UserRef


@dataclass(frozen=True, slots=True)
class NameSpan:
    """A member shown by name only (leaderboards, mentions inside member text)."""

    user: UserRef


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A calendar date, shown in the organisation's style."""

    value: date

    def formatted(self) -> str:
        return long_date(self.value)


@dataclass(frozen=True, slots=True)
class CommandSpan:
    """A command for members to type, which each platform shows in its own form.

    ``typed`` is what follows the command name where members type everything
    (console, Slack): ``/kudos`` + ``@maria for running storytime``. ``action``
    names the sub-command for platforms with structured commands (Discord's
    ``/kudos give``); when ``typed`` starts with the action word, it is that word.
    """

    command: str
    typed: str = ""
    action: str | None = None

    def typed_form(self, name: str | None = None) -> str:
        """``/name typed``: the form for platforms where members type the whole command."""
        return f"/{name or self.command} {self.typed}".rstrip()

    def arguments_after_action(self) -> str:
        """``typed`` without its leading action word (for structured sub-commands)."""
        first, _, rest = self.typed.partition(" ")
        return rest if self.action is not None and first == self.action else self.typed


Inline = Text | Bold | Link | MentionSpan | NameSpan | DateSpan | CommandSpan


@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple[Inline, ...], ...]


Block = Paragraph | BulletList


@dataclass(frozen=True, slots=True)
class Message:
    """Platform-neutral content of one message."""

    blocks: tuple[Block, ...] = ()

    def mentioned_users(self) -> list[UserRef]:
        """Users a renderer may notify: exactly the MentionSpans, in order, deduplicated."""
        seen: dict[tuple[str, str, str], UserRef] = {}
        for span in self.spans():
            if isinstance(span, MentionSpan):
                seen.setdefault(span.user.key, span.user)
        return list(seen.values())

    def spans(self) -> Iterator[Inline]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield from block.spans
            else:
                for item in block.items:
                    yield from item

    def plain_text(self) -> str:
        """The message as plain text: fallback text, logs, tests and the CLI."""
        return "\n\n".join(_block_plain(block) for block in self.blocks)

    def __add__(self, other: Message) -> Message:
        return Message(self.blocks + other.blocks)


def span_plain(span: Inline) -> str:
    match span:
        case Text(text) | Bold(text):
            return text
        case Link(url, label):
            return label if label == url else f"{label} ({url})"
        case MentionSpan(user) | NameSpan(user):
            return f"@{user.name}"
        case DateSpan():
            return span.formatted()
        case CommandSpan():
            return span.typed_form()
        case _:
            assert_never(span)  # a new span type fails type checking until written here


def _block_plain(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "".join(span_plain(s) for s in block.spans)
    return "\n".join("• " + "".join(span_plain(s) for s in item) for item in block.items)


class Visibility(StrEnum):
    """Who sees a reply."""

    SENDER = "sender"  # only the member who asked (Slack ephemeral, Discord ephemeral)
    CHANNEL = "channel"  # everyone in the channel the command came from


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply (for example the deadlines calendar as .ics)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot answers the sender with.

    Attributes:
        actions: Buttons and selects shown under the message, in order (see
            :mod:`bot.actions`); the console numbers them.
        form: A form to open (Slack and Discord modals; the console asks field by
            field). ``message`` is the fallback where no form can be opened.
        field_errors: A submitted form refused field by field (field name ->
            message): Slack keeps the modal open with them, the console asks again.
    """

    message: Message
    visibility: Visibility = Visibility.SENDER
    attachments: tuple[Attachment, ...] = ()
    actions: tuple[Action, ...] = ()
    form: Form | None = None
    field_errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message.plain_text()


@dataclass
class MessageBuilder:
    """Small helper to build messages span by span."""

    _blocks: list[Block] = field(default_factory=list)
    _current: list[Inline] = field(default_factory=list)

    def add(self, *spans: Inline | str) -> MessageBuilder:
        self._current.extend(Text(s) if isinstance(s, str) else s for s in spans)
        return self

    def paragraph(self, *spans: Inline | str) -> MessageBuilder:
        self.add(*spans)
        return self.end_paragraph()

    def end_paragraph(self) -> MessageBuilder:
        if self._current:
            self._blocks.append(Paragraph(tuple(self._current)))
            self._current = []
        return self

    def bullets(self, items: Iterable[Iterable[Inline | str]]) -> MessageBuilder:
        self.end_paragraph()
        rows = tuple(tuple(Text(s) if isinstance(s, str) else s for s in item) for item in items)
        if rows:
            self._blocks.append(BulletList(rows))
        return self

    def build(self) -> Message:
        self.end_paragraph()
        return Message(tuple(self._blocks))


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``1 contact``, ``3 contacts``, ``2 deadlines and events`` (with ``plural`` given)."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def text_message(text: str) -> Message:
    """A message of plain text paragraphs (split on blank lines)."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return Message(tuple(Paragraph((Text(p),)) for p in paragraphs))
