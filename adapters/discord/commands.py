"""The application commands members see, built from the command catalogue.

Each catalogue command becomes a Discord command (or a group, with one
sub-command each), each typed option a Discord option of the matching type:
member pickers for people, choices for fixed words, numbers with their range, a
channel picker limited to channels a broadcast can go to. The values go to the
core typed (:class:`~bot.requests.Arguments`), never turned back into text.

Commands that act on a server's members or channels (``server_only`` in the
catalogue) are server-only: Discord does not offer them in direct messages.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, Literal

import discord
from discord import app_commands

from adapters.discord.interactions import InteractionHandler
from adapters.discord.translate import ChannelOption, OptionValue
from bot.commands.naming import member_option_names
from bot.commands.spec import ArgKind, Catalogue, CommandNames, CommandSpec, Option, SubCommand

#: Channels a broadcast can be posted in: text and announcement channels.
POSTABLE_CHANNELS = [discord.ChannelType.text, discord.ChannelType.news]
#: For groups: ``guild_only`` alone leaves Discord's ``contexts`` unset (= everywhere).
SERVERS_ONLY = app_commands.AppCommandContext(guild=True)
#: Discord's limit for command and option descriptions.
DESCRIPTION_LIMIT = 100
EXTRA_PERSON = "Another colleague (optional)"


class PostableChannel(app_commands.Transformer):
    """A channel option limited to text and announcement channels, passed on as given.

    The channel comes from the interaction's resolved data, so it works for
    channels the client has not cached (no members or guild cache needed).
    """

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return POSTABLE_CHANNELS

    async def transform(self, interaction: discord.Interaction, value: object) -> ChannelOption:
        if not isinstance(value, ChannelOption):
            raise app_commands.TransformerError(value, discord.AppCommandOptionType.channel, self)
        return value


def register_commands(tree: app_commands.CommandTree, handler: InteractionHandler) -> None:
    """Add every catalogue command to ``tree``, named as this installation names them."""
    for command in build_commands(handler.catalogue, handler.names, handler):
        tree.add_command(command)


def build_commands(
    catalogue: Catalogue, names: CommandNames, handler: InteractionHandler
) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """One Discord command or group per catalogue command, in catalogue order."""
    built: list[app_commands.Command[Any, ..., None] | app_commands.Group] = []
    for spec in catalogue:
        name = names.name_for(spec)
        description = _short(spec.summary)
        if not spec.subcommands:
            command = _command(name, description, spec, None, spec.options, handler)
            built.append(app_commands.guild_only()(command) if spec.server_only else command)
            continue
        group = app_commands.Group(
            name=name,
            description=description,
            guild_only=spec.server_only,
            allowed_contexts=SERVERS_ONLY if spec.server_only else None,
        )
        for sub in spec.subcommands:
            group.add_command(
                _command(sub.name, _short(sub.description), spec, sub, sub.options, handler)
            )
        built.append(group)
    return built


def _command(
    name: str,
    description: str,
    spec: CommandSpec,
    sub: SubCommand | None,
    options: tuple[Option, ...],
    handler: InteractionHandler,
) -> app_commands.Command[Any, ..., None]:
    subcommand = sub.name if sub is not None else None

    async def callback(interaction: discord.Interaction, **given: Any) -> None:
        await handler.handle(
            interaction,
            command=spec.name,
            subcommand=subcommand,
            options=_grouped(options, given),
        )

    # discord.py reads the options from the callback's signature: build it from the catalogue.
    callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "interaction",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=discord.Interaction,
            ),
            *(
                _parameter(option, picker)
                for option in options
                for picker in member_option_names(option)
            ),
        ]
    )
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=name, description=description, callback=callback
    )
    descriptions = {
        picker: _short(option.description if picker == option.name else EXTRA_PERSON)
        for option in options
        for picker in member_option_names(option)
    }
    if descriptions:
        app_commands.describe(**descriptions)(command)
    return command


def _parameter(option: Option, picker: str) -> inspect.Parameter:
    """The callback parameter for one Discord option (a MEMBERS option has several)."""
    required = option.required and picker == option.name
    annotation = _annotation(option)
    default: object = inspect.Parameter.empty
    if not required:
        annotation = annotation | None
        default = False if option.kind is ArgKind.FLAG else None
    return inspect.Parameter(
        picker, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _annotation(option: Option) -> Any:
    """The Python type discord.py turns into the option's Discord type."""
    match option.kind:
        case ArgKind.MEMBER | ArgKind.MEMBERS:
            return discord.User
        case ArgKind.TEXT | ArgKind.SEND_TIME:
            return app_commands.Range[str, option.min_value or 1, option.max_value]
        case ArgKind.NUMBER:
            return app_commands.Range[int, option.min_value, option.max_value]
        case ArgKind.FLAG:
            return bool
        case ArgKind.CHOICE:
            return Literal[option.choices]
        case ArgKind.CHANNEL:
            return app_commands.Transform[ChannelOption, PostableChannel]
    raise TypeError(f"no Discord option for {option.kind}")


def _grouped(options: tuple[Option, ...], given: Mapping[str, Any]) -> dict[str, OptionValue]:
    """Options keyed by the catalogue's names: a MEMBERS option's pickers become one list."""
    grouped: dict[str, OptionValue] = {}
    for option in options:
        if option.kind is ArgKind.MEMBERS:
            people = [given.get(picker) for picker in member_option_names(option)]
            grouped[option.name] = [person for person in people if person is not None]
        else:
            grouped[option.name] = given.get(option.name)
    return grouped


def _short(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"
