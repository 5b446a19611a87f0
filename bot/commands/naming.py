"""Showing commands in each platform's own form, from the catalogue.

Core replies name commands with :class:`~bot.replies.CommandSpan` (the core's
name, what follows it, and the sub-command word). Before rendering, an adapter
rewrites each span into the form its members type: Slack and the console keep
the text and use the installation's name for the command (``/bothelp``,
``/props``); Discord writes the sub-command and option names its menus show
(``/kudos give user:@ana user2:@ben reason:...``). Both forms come from the
catalogue, so a renamed command or a new sub-command is shown right everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.commands.spec import ArgKind, Catalogue, CommandNames, CommandSpec, Option
from bot.replies import BulletList, CommandSpan, Inline, Message, Paragraph, Reply

SpanForm = Callable[[CommandSpan], CommandSpan]

_LEADING_PEOPLE = re.compile(r"((?:@[^\s,]+(?:,?\s+and\s+|,\s*|\s+))+)(.*)", re.DOTALL)


def with_command_forms(reply: Reply, form: SpanForm) -> Reply:
    """``reply`` with every command span rewritten by ``form``."""

    def span(item: Inline) -> Inline:
        return form(item) if isinstance(item, CommandSpan) else item

    blocks = tuple(
        Paragraph(tuple(span(s) for s in block.spans))
        if isinstance(block, Paragraph)
        else BulletList(tuple(tuple(span(s) for s in item) for item in block.items))
        for block in reply.message.blocks
    )
    # Everything else (actions, a form, field errors) is kept as the core gave it.
    return replace(reply, message=Message(blocks))


def typed_form(catalogue: Catalogue, names: CommandNames) -> SpanForm:
    """Text platforms: the same words, under the installation's name for the command."""

    def form(span: CommandSpan) -> CommandSpan:
        return CommandSpan(names.shown(catalogue, span.command), span.typed)

    return form


def structured_form(catalogue: Catalogue, names: CommandNames) -> SpanForm:
    """Platforms with sub-commands and named options (Discord)."""

    def form(span: CommandSpan) -> CommandSpan:
        command = catalogue.get(span.command)
        if command is None:
            return CommandSpan(span.command, span.typed)
        name = names.name_for(command)
        return CommandSpan(*_structured(command, name, span))

    return form


def _structured(command: CommandSpec, name: str, span: CommandSpan) -> tuple[str, str]:
    """The command words and the option text of ``span`` on a structured platform."""
    arguments = span.arguments_after_action()
    if span.action is None:
        return name, arguments
    sub = command.subcommand(span.action)
    if sub is not None:
        return f"{name} {sub.name}", _people_as_options(sub.options, arguments)
    for option in command.options:
        if option.kind is ArgKind.FLAG and span.action in option.words:
            return name, f"{option.name}:True"
        if option.kind is ArgKind.CHOICE and span.action in option.choices:
            return name, f"{option.name}:{span.action}"
    return f"{name} {span.action}", arguments


def member_option_names(option: Option) -> tuple[str, ...]:
    """A MEMBERS option is offered as one member picker per person: user, user2, user3."""
    if option.kind is not ArgKind.MEMBERS:
        return (option.name,)
    return (option.name, *(f"{option.name}{n}" for n in range(2, option.limit + 1)))


def _people_as_options(options: tuple[Option, ...], arguments: str) -> str:
    """``@ana, @ben and @chris for x`` -> ``user:@ana user2:@ben user3:@chris reason:for x``.

    One member picker holds one person, so a form naming several people is written
    with the option names; a form with one person stays as members read it.
    """
    people_option = next((o for o in options if o.kind is ArgKind.MEMBERS), None)
    text_option = next((o for o in options if o.kind is ArgKind.TEXT), None)
    match = _LEADING_PEOPLE.match(arguments) if people_option and text_option else None
    if people_option is None or text_option is None or match is None:
        return arguments
    people = re.findall(r"@[^\s,]+", match.group(1))
    pickers = member_option_names(people_option)
    if not 1 < len(people) <= len(pickers):
        return arguments
    named = " ".join(f"{option}:{person}" for option, person in zip(pickers, people, strict=False))
    return f"{named} {text_option.name}:{match.group(2)}".rstrip()
