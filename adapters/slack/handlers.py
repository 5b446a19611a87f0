"""What the bot does with each Slack request, after Bolt has acknowledged it.

Listeners call ``ack()`` first (Slack wants an answer within 3 seconds), then
translate, hand the Request to the core, and deliver the Reply: slash-command
replies through ``respond()`` (ephemeral or in the channel), answers to
mentions and DMs with ``chat.postMessage``. Nothing here decides *what* to
answer; that is the core's job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from adapters.slack.directory import StaffDirectory, UserDirectory
from adapters.slack.render import render
from adapters.slack.sender import SlackSender
from adapters.slack.translate import translate_command, translate_event
from bot.core import GENERIC_APOLOGY, BotCore
from bot.errors import DeliveryError
from bot.replies import Message, Reply, Visibility, text_message
from bot.requests import Request

log = logging.getLogger(__name__)

#: Work behind acks runs at most this many at a time: new requests are then acked
#: promptly (Slack's 3-second rule) even when a burst queues up slower work.
DEFAULT_WORK_SLOTS = 2

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
        work_slots: int = DEFAULT_WORK_SLOTS,
    ) -> None:
        self._work_slots = asyncio.Semaphore(work_slots)
        self.core = core
        self.sender = sender
        self.users = users
        self.staff = staff

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """Any of our slash commands."""
        await ack()
        async with self._work_slots:
            await self._answer_command(body, respond)

    async def _answer_command(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        context = _command_context(body)
        try:
            request = await translate_command(body, users=self.users, staff=self.staff)
            reply = await self.core.handle(request)
        except Exception:
            # The core turns command failures into replies; this catches the
            # adapter's own (translation) failures so the member still hears back.
            log.exception("slash command failed", extra=context)
            await self._respond(body, respond, Reply(text_message(GENERIC_APOLOGY)), context)
            return
        if reply is None:
            return
        if reply.attachments:
            reply = await self._send_attachments(request, reply, context)
        await self._respond(body, respond, reply, context)

    async def on_app_mention(self, body: dict[str, Any], context: Mapping[str, Any]) -> None:
        """``@memberbot question`` in a channel: answered in a thread."""
        event = body.get("event") or {}
        thread_ts = event.get("thread_ts") or event.get("ts")
        async with self._work_slots:
            await self._answer_event(body, context, thread_ts=thread_ts)

    async def on_message(self, body: dict[str, Any], context: Mapping[str, Any]) -> None:
        """A direct message to the bot (other message events are ignored)."""
        event = body.get("event") or {}
        if event.get("channel_type") != "im":
            return
        async with self._work_slots:
            await self._answer_event(body, context, thread_ts=event.get("thread_ts"))

    async def _answer_event(
        self, body: dict[str, Any], context: Mapping[str, Any], *, thread_ts: str | None
    ) -> None:
        event = body.get("event") or {}
        log_context = {
            "slack_event_id": body.get("event_id"),
            "slack_channel": event.get("channel"),
            "slack_user": event.get("user"),
        }
        try:
            request = await translate_event(
                body, users=self.users, staff=self.staff, bot_user_id=context.get("bot_user_id")
            )
            if request is None:
                return
            reply = await self.core.handle(request)
        except Exception:
            log.exception("event handling failed", extra=log_context)
            reply = Reply(text_message(GENERIC_APOLOGY))
        if reply is None or not event.get("channel"):
            return
        await self._post_in_conversation(
            str(event["channel"]), reply.message, thread_ts=thread_ts, context=log_context
        )

    async def _post_in_conversation(
        self, channel: str, message: Message, *, thread_ts: str | None, context: dict[str, Any]
    ) -> None:
        rendered = render(message)
        try:
            await self.sender.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=rendered.text,
                blocks=rendered.blocks,
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
        return Reply(reply.message + text_message(note), visibility=reply.visibility)

    async def _respond(
        self, body: dict[str, Any], respond: AsyncRespond, reply: Reply, context: dict[str, Any]
    ) -> None:
        """Answer through the response_url; fall back to the Web API if that fails."""
        rendered = render(reply.message)
        response_type = "in_channel" if reply.visibility is Visibility.CHANNEL else "ephemeral"
        try:
            result = await respond(
                text=rendered.text, blocks=rendered.blocks, response_type=response_type
            )
            if result.status_code == 200:
                return
            log.warning("response_url refused", extra={**context, "status": result.status_code})
        except Exception as error:
            log.warning("response_url unreachable", extra={**context, "error": repr(error)})
        await self._respond_by_api(body, rendered, response_type, context)

    async def _respond_by_api(
        self, body: dict[str, Any], rendered: Any, response_type: str, context: dict[str, Any]
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
