"""Buttons and forms in the console: numbered choices, and forms asked field by field.

A reply's buttons (and a select's options) are listed as ``[1] Confirm  [2] Cancel``;
typing a number presses that one (a button with a confirm prompt asks first). Any
other line is read as usual and the choices are gone. A post or DM the bot prints
(the staff channel's Answer / Not for us / Assign, a staff answer's 👍 Thanks) lists
its choices the same way; the choices line printed last is the one a number picks,
so a reply without choices leaves a post's choices pressable (listed again).

A form is asked one field at a time; an answer the console cannot read (a name it
does not know) is asked again at once, and a submission the core refuses field by
field asks only those fields again, saying why. An empty answer to a required field, or ``/cancel``,
cancels the form; so does leaving the chat (Ctrl-D, Ctrl-C).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from adapters.console.translate import CHANNEL, PLATFORM, WORKSPACE, read_mentions
from bot.actions import (
    Action,
    ActionRef,
    Button,
    ConfirmPrompt,
    FieldKind,
    Form,
    FormField,
    Select,
    click_request,
    form_request,
)
from bot.replies import Reply
from bot.requests import (
    ArgumentValue,
    Mention,
    MentionKind,
    Request,
    UserRef,
    clean_member_text,
)

CANCEL_WORD = "/cancel"
CANCELLED = "Cancelled; nothing was sent."
NOT_DONE = "OK, nothing was done."
YES_WORDS = frozenset({"y", "yes"})
#: How many times a refused form is asked again before the console gives up on it.
MAX_ROUNDS = 5


class _Cancel:
    """The member cancelled the form."""


CANCEL = _Cancel()


@dataclass(frozen=True, slots=True)
class Choice:
    """One numbered choice: a button, or one option of a select."""

    label: str
    ref: ActionRef
    confirm: ConfirmPrompt | None = None


def choices_of(reply: Reply) -> list[Choice]:
    """The reply's buttons and select options, in order, as numbered choices."""
    return choices_from(reply.actions)


def choices_from(actions: tuple[Action, ...]) -> list[Choice]:
    """Buttons and select options (of a reply or a post), in order, as numbered choices."""
    choices: list[Choice] = []
    for action in actions:
        if isinstance(action, Button):
            choices.append(Choice(action.label, action.ref, action.confirm))
        elif isinstance(action, Select):
            choices.extend(Choice(option.label, option.ref) for option in action.options)
    return choices


def choices_line(choices: list[Choice]) -> str:
    """``[1] Confirm  [2] Cancel  [3] Edit``."""
    return "  ".join(f"[{number}] {choice.label}" for number, choice in enumerate(choices, 1))


ReadLine = Callable[[], Awaitable[str | None]]
Write = Callable[[str], None]
Handle = Callable[[Request], Awaitable[Reply | None]]
FindMember = Callable[[UserRef], UserRef | None]


class ConsoleInteractions:
    """Presses numbered choices and fills forms for one console member.

    Args:
        handle: The core's ``handle``.
        read: Reads the member's next line (``None`` at the end of input).
        write: Writes one reply line.
        member: The console member a typed ``@name`` is, or ``None`` (any name).
        refresh: Re-reads who the members are (someone may have joined meanwhile).
    """

    def __init__(
        self,
        *,
        user: UserRef,
        is_staff: bool,
        handle: Handle,
        read: ReadLine,
        write: Write,
        member: FindMember | None = None,
        refresh: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.user = user
        self.is_staff = is_staff
        self._handle = handle
        self._read = read
        self._write = write
        self._member = member
        self._refresh = refresh
        self.pending: list[Choice] = []
        #: The choices of the last post or DM printed since the member's last line.
        self._posted: list[Choice] = []

    def offer(self, reply: Reply) -> None:
        """Remember (and list) the reply's choices; without any, those of a post printed
        while it was made stay pressable (listed again); else none are left."""
        self.pending = choices_of(reply) or self._posted
        self._posted = []
        if self.pending:
            self._write(choices_line(self.pending))

    def offer_posted(self, choices: list[Choice]) -> None:
        """A post or DM with choices was printed (its choices line too): they can be
        pressed at once, and after the reply being made, unless it brings its own."""
        self.pending = list(choices)
        self._posted = list(choices)

    def forget(self) -> None:
        """The member typed something else: the choices shown are gone."""
        self.pending = []
        self._posted = []

    def picked(self, line: str) -> Choice | str | None:
        """The choice a typed number picks, a message for a number out of range, or
        ``None`` when the line is not a pick (it is then read as usual)."""
        text = line.strip()
        if not self.pending or not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
        if not 1 <= number <= len(self.pending):
            return (
                f"bot> There is no choice {text}: type a number from 1 to {len(self.pending)}, "
                "or anything else to go on."
            )
        return self.pending[number - 1]

    async def press(self, choice: Choice) -> Reply | None:
        """Press ``choice`` (after its confirm prompt, if it has one; declined, the
        choices stay, so another can be picked)."""
        if choice.confirm is not None and not await self._confirmed(choice.confirm):
            self._write(f"bot> {NOT_DONE} {choices_line(self.pending)}")
            return None
        self.pending = []
        return await self._handle(
            click_request(
                choice.ref.encode(),
                platform=PLATFORM,
                workspace_id=WORKSPACE,
                channel_id=CHANNEL,
                sender=self.user,
                is_staff=self.is_staff,
            )
        )

    async def fill(self, form: Form) -> Reply | None:
        """Ask ``form`` field by field and submit it; ``None`` when cancelled."""
        self.pending = []
        self._write(
            f"bot> {form.title}: answer each question "
            f"(an empty answer to a required one, or {CANCEL_WORD}, cancels)."
        )
        values: dict[str, ArgumentValue] = {}
        errors: Mapping[str, str] = {}
        for _ in range(MAX_ROUNDS):
            for field in form.fields:
                if errors and field.name not in errors:
                    continue
                current = values.get(field.name, field.initial)
                if field.name in errors:
                    self._write(f"bot> {field.label}: {errors[field.name]}")
                    current = None  # a refused answer is never offered to keep
                answer = await self._ask(field, current)
                if answer is CANCEL:
                    self._write(f"bot> {CANCELLED}")
                    return None
                values[field.name] = answer  # type: ignore[assignment]
            reply = await self._handle(self._submission(form, values))
            if reply is None or not reply.field_errors:
                return reply
            errors = reply.field_errors
            if not any(form.field(name) for name in errors):
                return reply  # nothing the member can fix here: show what was said
        self._write(f"bot> {CANCELLED}")
        return None

    def _submission(self, form: Form, values: dict[str, ArgumentValue]) -> Request:
        return form_request(
            form.ref.encode(),
            values,
            platform=PLATFORM,
            workspace_id=WORKSPACE,
            channel_id=CHANNEL,
            sender=self.user,
            is_staff=self.is_staff,
        )

    async def _confirmed(self, prompt: ConfirmPrompt) -> bool:
        self._write(
            f"bot> {prompt.title} {prompt.text} "
            f"Type y to {prompt.confirm.lower()}, anything else to {prompt.deny.lower()}."
        )
        line = await self._read()
        return line is not None and line.strip().lower() in YES_WORDS

    async def _ask(self, field: FormField, current: ArgumentValue) -> ArgumentValue | _Cancel:
        """One field's answer, asked again until the console can read it."""
        self._write(f"bot> {field.label}{_guidance(field, current)}")
        while True:
            line = await self._read()
            if line is None:
                return CANCEL
            text = clean_member_text(line).strip()
            if text.lower() == CANCEL_WORD:
                return CANCEL
            if not text:
                if current is not None and current != "":
                    return current
                return None if not field.required else CANCEL
            if field.kind in {FieldKind.MEMBER, FieldKind.MEMBERS} and self._refresh:
                await self._refresh()
            value, problem = self._read_value(field, text)
            if problem is None:
                return value
            self._write(f"bot> {problem}")

    def _read_value(self, field: FormField, text: str) -> tuple[ArgumentValue, str | None]:
        match field.kind:
            case FieldKind.MEMBER | FieldKind.MEMBERS:
                return self._people(text)
            case FieldKind.CHANNEL:
                name = text.lstrip("#").strip()
                if not name or " " in name:
                    return None, "Please name one channel, e.g. #news."
                return Mention(MentionKind.CHANNEL, f"#{name}", channel_id=name), None
            case FieldKind.CHOICE:
                return _choice(field, text)
        return text, None

    def _people(self, text: str) -> tuple[ArgumentValue, str | None]:
        _, mentions = read_mentions(text, member=self._member)
        unknown = [m.raw for m in mentions if m.kind is MentionKind.UNKNOWN_USER]
        if unknown:
            return None, f"I don't know {' and '.join(unknown)}; check the spelling."
        people = tuple(m for m in mentions if m.kind is MentionKind.USER)
        if not people:
            return None, "Please name people with @, e.g. @ben @cara."
        return people, None


def _choice(field: FormField, text: str) -> tuple[ArgumentValue, str | None]:
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(field.choices):
        return field.choices[int(text) - 1], None
    if text.lower() in field.choices:
        return text.lower(), None
    return None, f"Please type a number from 1 to {len(field.choices)}."


def _guidance(field: FormField, current: ArgumentValue) -> str:
    """What to type, in brackets after the field's label."""
    hints = {
        FieldKind.MEMBER: "@name",
        FieldKind.MEMBERS: f"@name, up to {field.limit}",
        FieldKind.CHANNEL: "#channel",
        FieldKind.DATETIME: "YYYY-MM-DD HH:MM",
        FieldKind.CHOICE: choices_line([Choice(c, ActionRef("x")) for c in field.choices]),
    }
    parts = [hints[field.kind]] if field.kind in hints else []
    if field.hint:
        parts.append(field.hint)
    if current is not None and current != "":
        parts.append(f"now: {_shown(current)}; empty keeps it")
    elif not field.required:
        parts.append("optional: empty skips it")
    return f" ({'; '.join(parts)})" if parts else ""


def _shown(value: ArgumentValue) -> str:
    if isinstance(value, Mention):
        return value.raw
    if isinstance(value, tuple):
        return " ".join(m.raw for m in value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
