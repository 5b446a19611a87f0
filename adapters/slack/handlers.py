"""What the bot does with each Slack request, after Bolt has acknowledged it.

Listeners queue their work (see :mod:`adapters.slack.work`) and ack at once:
Slack wants an answer within 3 seconds. The work then translates the request,
hands it to the core and delivers the Reply: slash-command replies through the
command's ``response_url`` (ephemeral or in the channel), answers to mentions
and DMs with ``chat.postMessage``. Nothing here decides *what* to answer; that
is the core's job.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack.blocks import action_blocks
from adapters.slack.client import post_to_response_url
from adapters.slack.commands import slash_commands
from adapters.slack.directory import StaffDirectory, UserDirectory
from adapters.slack.render import SlackMessage, render
from adapters.slack.sender import SlackSender
from adapters.slack.translate import translate_command, translate_event
from adapters.slack.work import PostAckWork
from bot.commands.naming import typed_form, with_command_forms
from bot.commands.spec import CommandNames
from bot.core import GENERIC_APOLOGY, BotCore
from bot.errors import DeliveryError
from bot.replies import Reply, Visibility, text_message
from bot.requests import Request

if TYPE_CHECKING:
    from adapters.slack.interactive import SlackInteractions

log = logging.getLogger(__name__)

FILE_SENT_NOTE = "I've sent you {names} as a direct message."
FILE_FAILED_NOTE = "I could not send you {names} as a direct message just now; please try again."


class SlackHandlers:
    """The adapter's Bolt listeners, bound to one core."""

    def __init__(
        self,
        *,
        core: BotCore,
        sender: SlackSender,
        users: UserDirectory,
        staff: StaffDirectory,
        work: PostAckWork | None = None,
        names: CommandNames | None = None,
    ) -> None:
        self.core = core
        self.sender = sender
        self.users = users
        self.staff = staff
        self.work = work or PostAckWork()
        names = names or CommandNames()
        #: ``/name`` as this workspace types it -> core command; one listener each.
        self.slash_commands = slash_commands(core.commands, names)
        # Replies name commands as members type them here (``/bothelp``, a renamed one).
        self.command_form = typed_form(core.commands, names)
        #: Opens the forms replies ask for (set by :func:`adapters.slack.app.build_slack_bot`).
        self.interactions: SlackInteractions | None = None

    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Any of our slash commands: queue the work, then ack (Slack's 3-second rule)."""
        context = _command_context(body)
        # Queued before the ack: once Slack has its 200, the answer must follow.
        self.work.submit(partial(self._answer_command, body, context), context)
        await ack()

    async def _answer_command(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        try:
            request = await translate_command(
                body, users=self.users, staff=self.staff, commands=self.slash_commands
            )
            reply = await self.core.handle(request)
        except Exception:
            # The core turns command failures into replies; this catches the
            # adapter's own (translation) failures so the member still hears back.
            log.exception("slash command failed", extra=context)
            await self._respond(body, Reply(text_message(GENERIC_APOLOGY)), context)
            return
        if reply is None:
            return
        # A form is the answer where it opens; its message is for where none can.
        forms = self.interactions
        if reply.form is not None and forms and await forms.open_form(body, reply.form, context):
            return
        if reply.attachments:
            reply = await self._send_attachments(request, reply, context)
        await self._respond(body, reply, context)

    async def on_app_mention(self, body: dict[str, Any], context: Mapping[str, Any]) -> None:
        """``@memberbot question`` in a channel: answered in a thread."""
        event = body.get("event") or {}
        self._submit_event(body, context, thread_ts=event.get("thread_ts") or event.get("ts"))

    async def on_message(self, body: dict[str, Any], context: Mapping[str, Any]) -> None:
        """A direct message to the bot (other message events are ignored)."""
        event = body.get("event") or {}
        if event.get("channel_type") != "im":
            return
        self._submit_event(body, context, thread_ts=event.get("thread_ts"))

    def _submit_event(
        self, body: dict[str, Any], context: Mapping[str, Any], *, thread_ts: str | None
    ) -> None:
        # Bolt acks events before calling listeners; the work is queued at once.
        event = body.get("event") or {}
        log_context = {
            "slack_event_id": body.get("event_id"),
            "slack_channel": event.get("channel"),
            "slack_user": event.get("user"),
        }
        answer = partial(
            self._answer_event,
            body,
            bot_user_id=context.get("bot_user_id"),
            thread_ts=thread_ts,
            log_context=log_context,
        )
        self.work.submit(answer, log_context)

    async def _answer_event(
        self,
        body: dict[str, Any],
        *,
        bot_user_id: str | None,
        thread_ts: str | None,
        log_context: dict[str, Any],
    ) -> None:
        event = body.get("event") or {}
        try:
            request = await translate_event(
                body, users=self.users, staff=self.staff, bot_user_id=bot_user_id
            )
            if request is None:
                return
            reply = await self.core.handle(request)
        except Exception:
            log.exception("event handling failed", extra=log_context)
            reply = Reply(text_message(GENERIC_APOLOGY))
        if reply is None or not event.get("channel"):
            return
        reply = with_command_forms(reply, self.command_form)
        await self._post_in_conversation(
            str(event["channel"]), reply, thread_ts=thread_ts, context=log_context
        )

    async def _post_in_conversation(
        self, channel: str, reply: Reply, *, thread_ts: str | None, context: dict[str, Any]
    ) -> None:
        rendered = render(reply.message)
        try:
            await self.sender.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=rendered.text,
                blocks=rendered.blocks + action_blocks(reply.actions),
                unfurl_links=False,
            )
        except Exception:
            # Retries (429, 5xx) already happened inside the client: report loudly.
            log.exception("could not deliver an answer", extra=context)

    async def _send_attachments(self, request: Request, reply: Reply, context: dict) -> Reply:
        names = ", ".join(a.filename for a in reply.attachments)
        try:
            await self.sender.send_files(user=request.sender, attachments=reply.attachments)
            note = FILE_SENT_NOTE.format(names=names)
        except DeliveryError as error:
            log.warning("file upload failed", extra={**context, "reason": error.reason})
            note = FILE_FAILED_NOTE.format(names=names)
        return replace(reply, message=reply.message + text_message(note), attachments=())

    async def _respond(self, body: dict[str, Any], reply: Reply, context: dict[str, Any]) -> None:
        """Answer through the response_url; fall back to the Web API if that fails."""
        reply = with_command_forms(reply, self.command_form)
        rendered = render(reply.message)
        rendered = SlackMessage(rendered.blocks + action_blocks(reply.actions), rendered.text)
        response_type = "in_channel" if reply.visibility is Visibility.CHANNEL else "ephemeral"
        response_url = str(body.get("response_url") or "")
        if response_url:
            try:
                status = await post_to_response_url(
                    self.sender.client,
                    response_url,
                    {
                        "text": rendered.text,
                        "blocks": rendered.blocks,
                        "response_type": response_type,
                    },
                )
                if status == 200:
                    return
                log.warning("response_url refused", extra={**context, "status": status})
            except aiohttp.ClientConnectorError as error:
                log.warning("response_url unreachable", extra={**context, "error": repr(error)})
            except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError, TimeoutError) as error:
                # the connection dropped after the reply was sent: it may be on the member's
                # screen already, and a second copy is worse than a rare missing one
                log.warning(
                    "response_url dropped after sending; not sent again",
                    extra={**context, "error": repr(error)},
                )
                return
            except Exception as error:
                log.warning("response_url unreachable", extra={**context, "error": repr(error)})
        await self._respond_by_api(body, rendered, response_type, context)

    async def _respond_by_api(
        self, body: dict[str, Any], rendered: SlackMessage, response_type: str, context: dict
    ) -> None:
        channel, user = str(body.get("channel_id", "")), str(body.get("user_id", ""))
        client = self.sender.client
        try:
            if response_type == "in_channel":
                await client.chat_postMessage(
                    channel=channel, text=rendered.text, blocks=rendered.blocks
                )
            else:
                await client.chat_postEphemeral(
                    channel=channel, user=user, text=rendered.text, blocks=rendered.blocks
                )
        except Exception:
            log.exception("could not deliver a command reply", extra=context)


def _command_context(body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "slack_command": body.get("command"),
        "slack_team": body.get("team_id"),
        "slack_channel": body.get("channel_id"),
        "slack_user": body.get("user_id"),
        "slack_trigger": body.get("trigger_id"),
    }
