"""Buttons, modals, shortcuts and the App Home: Slack's interactive payloads, to and from the core.

* ``block_actions`` (a button or a select option): acked at once; the work then
  sends the value to the core as a click (:func:`bot.actions.click_request`) and
  answers as the reply says: a form opens with the click's ``trigger_id``, a click
  on the home tab republishes it with what was done on top, anything else is an
  ephemeral message through the payload's ``response_url``.
* ``view_submission`` (a modal submitted): answered within Slack's 3 seconds with
  the core's verdict, because only the ack can keep the modal open with field
  errors. A submission the core is slow to judge is acked (the modal closes) and
  its answer follows by DM.
* Shortcuts: the global "Give kudos" opens the kudos form; the message shortcut
  opens it with the message's author already picked.
* ``app_home_opened``: the member's home (:mod:`bot.home`) is published.

The values that come back are references the core checks against who clicked;
nothing here decides whether a click may act.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack.blocks import (
    action_blocks,
    clicked_value,
    field_error_blocks,
    home_view,
    modal_view,
    submitted_values,
)
from adapters.slack.client import post_to_response_url
from adapters.slack.directory import PLATFORM
from adapters.slack.render import render
from adapters.slack.work import outside_work_slot
from bot.actions import ActionRef, FieldKind, Form, click_request, form_request
from bot.commands.naming import with_command_forms
from bot.core import GENERIC_APOLOGY
from bot.home import build_home
from bot.replies import Message, Reply, text_message
from bot.requests import Mention, MentionKind, Request, UserRef

if TYPE_CHECKING:
    from adapters.slack.handlers import SlackHandlers

log = logging.getLogger(__name__)

#: How long a submission may take before the modal is closed and the answer sent by DM.
SUBMISSION_BUDGET_SECONDS = 2.5
FORM_FAILED_TEXT = (
    "I could not open the form just now (Slack allows a few seconds after a click). "
    "Please try again."
)


class SlackInteractions:
    """The interactive listeners, sharing the command handlers' core and directories."""

    def __init__(self, handlers: SlackHandlers) -> None:
        self.handlers = handlers
        self.core = handlers.core

    # ---------------------------------------------------------------- listeners

    async def on_block_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A button or select option of ours: queue the work, then ack."""
        context = _context(body, "block_actions")
        self.handlers.work.submit(partial(self._answer_click, body, context), context)
        await ack()

    async def on_view_submission(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A modal submitted: the core's verdict decides the ack (errors keep it open)."""
        context = _context(body, "view_submission")
        judged = asyncio.ensure_future(self._judge_submission(body, context))
        try:
            reply = await asyncio.wait_for(asyncio.shield(judged), SUBMISSION_BUDGET_SECONDS)
        except TimeoutError:
            log.warning("slow form submission: closing the modal, answering by DM", extra=context)
            await ack()
            self.handlers.work.submit(partial(self._answer_late, body, judged, context), context)
            return
        view = body.get("view") or {}
        if reply is not None and reply.field_errors:
            errors = field_error_blocks(reply.field_errors, view)
            if errors:
                await ack(response_action="errors", errors=errors)
                return
        if reply is not None and reply.form is not None:
            zone = self.core.settings.timezone
            await ack(response_action="update", view=modal_view(reply.form, zone=zone))
            return
        await ack()
        if reply is not None:
            self.handlers.work.submit(partial(self._send_dm, body, reply, context), context)

    async def on_shortcut(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A global or message shortcut: open the form the command answers with."""
        context = _context(body, str(body.get("type")))
        self.handlers.work.submit(partial(self._answer_shortcut, body, context), context)
        await ack()

    async def on_app_home_opened(self, body: dict[str, Any]) -> None:
        """The member opened the home tab: publish their home (Bolt acked already)."""
        event = body.get("event") or {}
        if event.get("tab") != "home" or not event.get("user"):
            return
        context = {"slack_event": "app_home_opened", "slack_user": event.get("user")}
        team = str(body.get("team_id") or "")
        work = partial(self.publish_home, str(event["user"]), team, None, context)
        self.handlers.work.submit(work, context)

    # -------------------------------------------------------------------- clicks

    async def _answer_click(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        actions = body.get("actions") or [{}]
        try:
            request = await self._request(body, clicked_value(actions[0]))
            reply = await self.core.handle(request)
        except Exception:
            log.exception("click failed", extra=context)
            reply = Reply(text_message(GENERIC_APOLOGY))
        if reply is None:
            return  # the same delivery was acted on already
        reply = with_command_forms(reply, self.handlers.command_form)
        if reply.form is not None:
            if await self.open_form(body, reply.form, context):
                return
            # Too late for the click's trigger (or Slack refused): say so, keep the text.
            reply = replace(reply, message=reply.message + text_message(FORM_FAILED_TEXT))
        if _on_home(body):
            user = body.get("user") or {}
            team = _team(body)
            await self.publish_home(str(user.get("id")), team, reply.message, context)
            return
        await self._respond(body, reply, context)

    async def _answer_shortcut(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        try:
            request = await self._request(body, ActionRef("kudos").encode())
            reply = await self.core.handle(request)
        except Exception:
            log.exception("shortcut failed", extra=context)
            reply = Reply(text_message(GENERIC_APOLOGY))
        if reply is None:
            return
        if reply.form is not None:
            form = await self._with_message_author(body, reply.form)
            if await self.open_form(body, form, context):
                return
        if body.get("response_url"):
            await self._respond(body, reply, context)
        else:
            await self._send_dm(body, reply, context)

    async def _with_message_author(self, body: Mapping[str, Any], form: Form) -> Form:
        """The kudos form with the shortcut's message author picked (not a bot, not oneself)."""
        message = body.get("message") or {}
        author = str(message.get("user") or "")
        clicker = str((body.get("user") or {}).get("id") or "")
        if not author or message.get("bot_id") or author == clicker:
            return form
        user = await self.handlers.users.lookup(author, workspace_id=_team(body))
        if user is None or user.is_bot:
            return form
        mention = Mention(MentionKind.USER, f"@{user.name}", user=user)
        fields = tuple(
            replace(field, initial=(mention,) if field.kind is FieldKind.MEMBERS else mention)
            if field.kind in {FieldKind.MEMBER, FieldKind.MEMBERS}
            else field
            for field in form.fields
        )
        return replace(form, fields=fields)

    # --------------------------------------------------------------- submissions

    async def _judge_submission(
        self, body: dict[str, Any], context: dict[str, Any]
    ) -> Reply | None:
        view = body.get("view") or {}
        state = (view.get("state") or {}).get("values") or {}
        try:
            fields = await submitted_values(
                state, workspace_id=_team(body), users=self.handlers.users
            )
            request = await self._request(
                body, str(view.get("private_metadata") or ""), fields=fields
            )
            return await self.core.handle(request)
        except Exception:
            log.exception("form submission failed", extra=context)
            return Reply(text_message(GENERIC_APOLOGY))

    async def _answer_late(
        self, body: dict[str, Any], judged: asyncio.Future[Reply | None], context: dict[str, Any]
    ) -> None:
        reply = await judged
        if reply is not None:
            await self._send_dm(body, reply, context)

    # ------------------------------------------------------------------ delivery

    async def open_form(self, body: Mapping[str, Any], form: Form, context: dict) -> bool:
        """Open ``form`` as a modal with the payload's trigger; False if Slack refused."""
        trigger_id = str(body.get("trigger_id") or "")
        if not trigger_id:
            return False
        view = modal_view(form, zone=self.core.settings.timezone)
        try:
            async with outside_work_slot():
                await self.handlers.sender.client.views_open(trigger_id=trigger_id, view=view)
        except Exception as error:
            log.warning("could not open a form", extra={**context, "error": repr(error)})
            return False
        return True

    async def publish_home(
        self, user_id: str, team_id: str, notice: Message | None, context: dict[str, Any]
    ) -> None:
        """Build ``user_id``'s home in the core and publish it (``notice`` on top)."""
        try:
            member = await self.handlers.users.lookup(user_id, workspace_id=team_id)
            member = member or UserRef(PLATFORM, team_id, user_id)
            home = await build_home(
                self.core.services,
                member,
                is_staff=await self.handlers.staff.is_staff(user_id),
                now=self.core.now(),
                today=self.core.today(),
                notice=notice,
            )
            async with outside_work_slot():
                await self.handlers.sender.client.views_publish(
                    user_id=user_id, view=home_view(home)
                )
        except Exception:
            log.exception("could not publish the home tab", extra=context)

    async def _respond(self, body: Mapping[str, Any], reply: Reply, context: dict) -> None:
        """An ephemeral answer under the clicked message (its ``response_url``)."""
        response_url = str(body.get("response_url") or "")
        rendered = render(reply.message)
        payload = {
            "text": rendered.text,
            "blocks": rendered.blocks + action_blocks(reply.actions),
            "response_type": "ephemeral",
            "replace_original": False,
        }
        if response_url:
            with contextlib.suppress(Exception):
                status = await post_to_response_url(
                    self.handlers.sender.client, response_url, payload
                )
                if status == 200:
                    return
            log.warning("response_url refused or unreachable", extra=context)
        await self._send_dm(body, reply, context)

    async def _send_dm(self, body: Mapping[str, Any], reply: Reply, context: dict) -> None:
        """The answer as a DM from the bot (modals and the home have no channel)."""
        user_id = str((body.get("user") or {}).get("id") or "")
        reply = with_command_forms(reply, self.handlers.command_form)
        rendered = render(reply.message)
        sender = self.handlers.sender
        try:
            channel = await sender.open_dm(UserRef(PLATFORM, _team(body), user_id))
            await sender.client.chat_postMessage(
                channel=channel,
                text=rendered.text,
                blocks=rendered.blocks + action_blocks(reply.actions),
                unfurl_links=False,
            )
        except Exception:
            log.exception("could not deliver an answer by DM", extra=context)

    # ------------------------------------------------------------------- requests

    async def _request(
        self, body: Mapping[str, Any], value: str, *, fields: dict[str, Any] | None = None
    ) -> Request:
        user = body.get("user") or {}
        user_id = str(user.get("id") or "")
        team = _team(body)
        sender = await self.handlers.users.lookup(user_id, workspace_id=team)
        sender = sender or UserRef(PLATFORM, team, user_id, display_name=user.get("username"))
        channel_id = str((body.get("channel") or {}).get("id") or "") or None
        common: dict[str, Any] = {
            "platform": PLATFORM,
            "workspace_id": team,
            "channel_id": channel_id,
            "sender": sender,
            "is_staff": await self.handlers.staff.is_staff(user_id),
            "is_direct": bool(channel_id and channel_id.startswith("D")),
        }
        if fields is None:
            # Each click has its own trigger; a repeated delivery of one click acts once.
            return click_request(value, delivery_id=_delivery(body, "trigger_id"), **common)
        # One modal step is one view id and form: submitted twice, it acts once. A
        # step answered with response_action=update keeps its view id, so the form
        # (a digest of its reference) tells the next step's submission apart.
        view_id = str((body.get("view") or {}).get("id") or "") or None
        step = hashlib.sha256(value.encode()).hexdigest()[:16]
        delivery_id = view_id and f"view:{view_id}:{step}"
        return form_request(value, fields, delivery_id=delivery_id, **common)


def _team(body: Mapping[str, Any]) -> str:
    team = body.get("team") or {}
    return str(team.get("id") or (body.get("user") or {}).get("team_id") or "")


def _on_home(body: Mapping[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


def _delivery(body: Mapping[str, Any], key: str) -> str | None:
    value = str(body.get(key) or "")
    return value or None


def _context(body: Mapping[str, Any], kind: str) -> dict[str, Any]:
    return {
        "slack_interaction": kind,
        "slack_team": _team(body),
        "slack_user": (body.get("user") or {}).get("id"),
        "slack_trigger": body.get("trigger_id"),
    }
