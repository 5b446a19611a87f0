"""Slack's slash commands and the app manifest, both generated from the catalogue.

``adapters/slack/manifest.yaml`` is this module's output, committed so a
workspace admin can paste it; a test fails if it differs from what the catalogue
generates. Regenerate it after changing a command::

    python -m adapters.slack.commands > adapters/slack/manifest.yaml

An installation whose workspace already has another app's ``/kudos`` sets
``SLACK_COMMAND_NAMES=kudos:props`` and generates its own manifest the same way
(``--names kudos:props``; ``--url https://bot.example.org`` for HTTP mode).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from bot.commands.catalogue import default_catalogue
from bot.commands.spec import Catalogue, CommandNames, parse_command_names

#: Where the manifest points in HTTP mode; admins replace it with their address.
PLACEHOLDER_URL = "https://memberbot.example.org"
EVENTS_PATH = "/slack/events"


def slash_commands(catalogue: Catalogue, names: CommandNames) -> dict[str, str]:
    """``/name`` members type -> the core command it runs."""
    return {f"/{shown}": core for shown, core in names.core_names(catalogue).items()}


@dataclass(frozen=True, slots=True)
class Shortcut:
    """A Slack shortcut: ``global`` (the lightning menu) or ``message`` (a message's menu)."""

    callback_id: str
    name: str
    type: str
    description: str


#: Shortcuts that open the kudos form (the message one with the message's author picked).
GIVE_KUDOS = Shortcut("give_kudos", "Give kudos", "global", "Thank a colleague in public")
GIVE_KUDOS_FOR_MESSAGE = Shortcut(
    "give_kudos_for_message", "Give kudos", "message", "Thank the author of this message"
)


def shortcuts(catalogue: Catalogue) -> tuple[Shortcut, ...]:
    """The shortcuts the catalogue's commands offer: the kudos ones when kudos can be given."""
    kudos = catalogue.get("kudos")
    if kudos is None or kudos.subcommand("give") is None:
        return ()
    return (GIVE_KUDOS, GIVE_KUDOS_FOR_MESSAGE)


def _quoted(text: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: no character needs thought.
    return json.dumps(text, ensure_ascii=False)


def _slash_command_lines(catalogue: Catalogue, names: CommandNames, url: str) -> list[str]:
    lines: list[str] = []
    for command in catalogue:
        shown = names.name_for(command)
        description = command.menu_description.format(name=shown)
        lines += [
            f"    - command: /{shown}",
            f"      url: {url}{EVENTS_PATH}",
            f"      description: {_quoted(description)}",
        ]
        if command.usage_hint:
            lines.append(f"      usage_hint: {_quoted(command.usage_hint)}")
        lines.append("      should_escape: true")
    return lines


def _shortcut_lines(catalogue: Catalogue) -> list[str]:
    lines: list[str] = []
    for shortcut in shortcuts(catalogue):
        lines += [
            f"    - name: {_quoted(shortcut.name)}",
            f"      type: {shortcut.type}",
            f"      callback_id: {shortcut.callback_id}",
            f"      description: {_quoted(shortcut.description)}",
        ]
    return ["  shortcuts:", *lines] if lines else []


def manifest_text(
    catalogue: Catalogue | None = None,
    names: CommandNames | None = None,
    *,
    url: str = PLACEHOLDER_URL,
    socket_mode: bool = True,
) -> str:
    """The app manifest as YAML, with a slash command for every catalogue command."""
    catalogue = catalogue or default_catalogue()
    names = names or CommandNames()
    url = url.rstrip("/")
    count = len(catalogue)
    header = [
        "# Slack app manifest for memberbot: api.slack.com/apps -> Create New App -> From a",
        "# manifest. Generated from the command catalogue; do not edit by hand: run",
        "# python -m adapters.slack.commands > adapters/slack/manifest.yaml",
        "# (--names kudos:props renames commands; --url and --http-mode make an HTTP-mode app).",
    ]
    if url == PLACEHOLDER_URL and socket_mode:
        header += [
            "# As written it creates a Socket Mode app (socket_mode_enabled: true below): no",
            "# public URL is needed; create an app-level token with connections:write for",
            "# SLACK_APP_TOKEN. For HTTP mode, BEFORE pasting: replace every",
            f"# {PLACEHOLDER_URL} with your public HTTPS address ({count} slash",
            "# commands + the event and interactivity request_url; the path stays",
            "# /slack/events) and set socket_mode_enabled: false, or generate it with --url.",
            "# See the README's Slack section.",
        ]
    body = [
        "display_information:",
        "  name: memberbot",
        "  description: Answers member questions, shares kudos and reminds of deadlines.",
        '  background_color: "#2c5f8a"',
        "features:",
        "  app_home:",
        "    home_tab_enabled: true # kudos, deadlines (Remind me), reminders, staff's to-dos",
        "    messages_tab_enabled: true",
        "    messages_tab_read_only_enabled: false",
        "  bot_user:",
        "    display_name: memberbot",
        "    always_online: true",
        *_shortcut_lines(catalogue),
        "  slash_commands:",
        *_slash_command_lines(catalogue, names, url),
        "oauth_config:",
        "  scopes:",
        "    bot:",
        "      - app_mentions:read # answer @memberbot questions",
        "      - chat:write # answers, kudos posts, DMs, broadcasts",
        "      - channels:history # check whether a post whose answer was lost arrived (public)",
        "      - chat:write.public # post kudos/announcements in public channels without joining",
        "      - commands # the slash commands above",
        "      - files:write # /deadlines ics calendar file",
        "      - groups:history # the same check in private channels",
        "      - im:history # read DMs sent to the bot; check DMs whose answer was lost",
        "      - im:write # open DMs (thank-you notes, reminders, files)",
        "      - mpim:history # the same check in group DMs (mentoring introductions)",
        "      - mpim:write # open group DMs (mentoring introductions)",
        "      - usergroups:read # SLACK_STAFF_USERGROUP_ID membership",
        "      - users:read # display names, bots, member list for DM broadcasts",
        "settings:",
        "  event_subscriptions:",
        f"    request_url: {url}{EVENTS_PATH}",
        "    bot_events:",
        "      - app_home_opened # publish the member's home tab",
        "      - app_mention",
        "      - message.im",
        "  interactivity: # buttons, forms (modals) and the shortcuts above",
        "    is_enabled: true",
        f"    request_url: {url}{EVENTS_PATH}",
        "  org_deploy_enabled: false",
        f"  socket_mode_enabled: {'true' if socket_mode else 'false'}"
        + (" # false for HTTP mode (after replacing the URLs above)" if socket_mode else ""),
        "  token_rotation_enabled: false",
    ]
    return "\n".join([*header, *body]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the manifest; ``--names`` as in ``SLACK_COMMAND_NAMES``."""
    parser = argparse.ArgumentParser(
        prog="python -m adapters.slack.commands", description="Print the Slack app manifest."
    )
    parser.add_argument("--names", default="", help="renamed commands, e.g. kudos:props")
    parser.add_argument("--url", default=PLACEHOLDER_URL, help="the bot's public HTTPS address")
    parser.add_argument("--http-mode", action="store_true", help="an HTTP-mode app")
    args = parser.parse_args(argv)
    catalogue = default_catalogue()
    try:
        names = parse_command_names(args.names, catalogue)
    except ValueError as error:
        print(f"--names: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(manifest_text(catalogue, names, url=args.url, socket_mode=not args.http_mode))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
