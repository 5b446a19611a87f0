"""BotCore: turns a neutral Request into a Reply, whatever the platform."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime

from bot.actions import ActionRef, FieldErrors, MalformedAction, parse_action
from bot.clock import Clock, SystemClock, local_today
from bot.commands.action_values import action_arguments, action_target
from bot.commands.arguments import arguments_for, read_values
from bot.commands.catalogue import default_catalogue
from bot.commands.registry import CommandContext
from bot.commands.services import CommandServices, build_services
from bot.commands.spec import Catalogue, CommandSpec
from bot.config import Settings, follow_organisation_zone
from bot.errors import PermissionDenied, StorageUnavailable, UserError
from bot.knowledge_store import KnowledgeStore
from bot.members import SeenMembers
from bot.outbound import OutboundSender
from bot.replies import Reply, text_message
from bot.requests import Arguments, Request, RequestKind
from bot.storage import Database
from bot.storage.repositories.deliveries import claim_delivery, release_delivery
from bot.storage.repositories.members import record_seen

log = logging.getLogger(__name__)

STORAGE_APOLOGY = (
    "Sorry, I can't reach my database right now, so I did not do that. "
    "Nothing was saved or sent; please try again in a minute."
)
GENERIC_APOLOGY = (
    "Sorry, something went wrong on my side and I could not do that. "
    "The team has been told; please try again later."
)


class BotCore:
    """Routes requests to commands and owns the shared services."""

    def __init__(
        self,
        *,
        settings: Settings,
        database: Database,
        knowledge: KnowledgeStore,
        clock: Clock | None = None,
        outbound: OutboundSender | None = None,
    ) -> None:
        # One organisation time zone: the served knowledge file's (BOT_TIMEZONE must agree).
        follow_organisation_zone(settings, knowledge)
        self.settings = settings
        self.database = database
        self.knowledge = knowledge
        self.clock = clock or SystemClock()
        self.outbound = outbound
        # Members written recently: an unchanged sender is not rewritten on every command.
        self.seen_members = SeenMembers()
        # Set when deliveries fell due just now (a broadcast confirmed for "now"), so this
        # process's dispatcher sends them at once rather than at its next poll.
        self.deliveries_due = asyncio.Event()
        #: Every command, declared once (see :mod:`bot.commands.catalogue`).
        self.commands: Catalogue = default_catalogue()
        self._services: CommandServices | None = None

    @property
    def services(self) -> CommandServices:
        """What command handlers are given: built once, and again only when the sender
        or the organisation's time zone (which follows the knowledge file) changes."""
        services = self._services
        if (
            services is None
            or services.kudos.outbound is not self.outbound
            or services.zone.key != self.settings.timezone.key
        ):
            services = self._services = build_services(
                catalogue=self.commands,
                settings=self.settings,
                database=self.database,
                knowledge=self.knowledge,
                outbound=self.outbound,
                seen=self.seen_members,
                deliveries_due=self.deliveries_due,
                clock=self.clock,
            )
        return services

    async def start(self) -> None:
        """Apply migrations; call once before handling requests.

        The runner (:mod:`bot.runner`) calls it, then starts the background
        services, and closes the database when the bot stops.
        """
        await self.database.upgrade()

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """Today for answers and listings (``--today`` may pretend another day)."""
        return local_today(self.clock, self.settings.timezone)

    async def handle(self, request: Request) -> Reply | None:
        """Handle one request; ``None`` means a retried delivery already acted on."""
        log_context = {
            "platform": request.platform,
            "workspace": request.workspace_id,
            "user": request.sender.user_id,
            "command": request.command,
            "delivery_id": request.delivery_id,
        }
        ref: ActionRef | None = None
        if request.kind is not RequestKind.COMMAND:
            try:
                ref = parse_action(request.action or "")
            except MalformedAction as error:
                log.warning("malformed action refused: %s", error.detail, extra=log_context)
                return Reply(text_message(error.message))
            if ref.command not in self.commands:
                log.warning("action for an unknown command refused", extra=log_context)
                return Reply(text_message(MalformedAction("unknown command").message))
        command = self._command_for(request) if ref is None else self.commands.get(ref.command)
        assert command is not None
        database_reachable = True
        try:
            if request.delivery_id and not await self._claim_delivery(request):
                log.info("duplicate delivery ignored", extra=log_context)
                return None
        except StorageUnavailable:
            if command.needs_database:
                return Reply(text_message(STORAGE_APOLOGY))
            log.warning("database unavailable: answering without it", extra=log_context)
            database_reachable = False
        try:
            return await self._dispatch(
                request, command, ref=ref, remember_sender=database_reachable
            )
        except FieldErrors as error:
            # The form can be submitted again, fixed: the same delivery id must act then.
            await self._release_delivery(request)
            return Reply(text_message(error.message), field_errors=error.errors)
        except MalformedAction as error:
            log.warning("action refused: %s", error.detail, extra=log_context)
            return Reply(text_message(error.message))
        except UserError as error:
            if not isinstance(error, PermissionDenied):
                await self._release_delivery(request)
            return Reply(text_message(error.message))
        except StorageUnavailable:
            log.warning("storage unavailable during command", extra=log_context)
            await self._release_delivery(request)
            return Reply(text_message(STORAGE_APOLOGY))
        except Exception:
            # The delivery id stays claimed: the command may have stored something
            # (a kudos) before failing, and a retry of the same delivery must not
            # store it again. The member is asked to try again (a new delivery).
            log.exception("command failed", extra=log_context)
            return Reply(text_message(GENERIC_APOLOGY))

    def _command_for(self, request: Request) -> CommandSpec:
        """The command asked for; help for an unknown one."""
        command = self.commands.get(request.command) or self.commands.get("help")
        assert command is not None
        return command

    async def _dispatch(
        self,
        request: Request,
        command: CommandSpec,
        *,
        ref: ActionRef | None = None,
        remember_sender: bool = True,
    ) -> Reply:
        now = self.now()
        if remember_sender:  # not when the database just failed: the answer comes first
            await self._remember_sender(request, command, now)
        if command.staff_only and not request.is_staff:
            raise PermissionDenied(
                f"Sorry, /{command.name} is for association staff only. Nothing was sent."
            )
        # Read only once the member may use the command: staff commands tell others
        # so, whatever they typed. A sub-command's own staff check comes before its
        # options are read for the same reason.
        if ref is None:
            arguments = arguments_for(command, request)
            subcommand = command.subcommand(arguments.subcommand)
        else:  # a click or a form: the same checks, then its values read against the options
            subcommand = action_target(command, ref)
        if subcommand is not None and subcommand.staff_only and not request.is_staff:
            raise PermissionDenied(
                subcommand.staff_refusal
                or f"Sorry, /{command.name} {subcommand.name} is for association staff only."
            )
        args: Arguments
        if ref is None:
            args = read_values(command.options_for(arguments.subcommand), arguments)
        else:
            args = action_arguments(command, ref, request, zone=self.settings.timezone)
        context = CommandContext(
            request=request,
            args=args,
            services=self.services,
            now=now,
            today=self.today(),
        )
        handler = subcommand.handler if subcommand is not None else command.handler
        return await handler(context)

    async def _remember_sender(self, request: Request, command: CommandSpec, now: datetime) -> None:
        """Record the member (platform ids, display name, last seen) before the command."""
        if self.seen_members.is_fresh(request.sender, now):
            return
        try:
            await record_seen(self.database, [request.sender], now=now)
        except StorageUnavailable:
            if command.needs_database:
                raise
            return  # recorded on a later command, once the database is back
        self.seen_members.remember([request.sender], now)

    async def _claim_delivery(self, request: Request) -> bool:
        assert request.delivery_id is not None
        return await claim_delivery(
            self.database,
            platform=request.platform,
            delivery_id=request.delivery_id,
            command=request.command,
            now=self.now(),
        )

    async def _release_delivery(self, request: Request) -> None:
        """Forget a delivery that failed, so the platform's retry can act on it."""
        if not request.delivery_id:
            return
        try:
            await release_delivery(
                self.database, platform=request.platform, delivery_id=request.delivery_id
            )
        except StorageUnavailable:
            log.warning("could not release delivery %s", request.delivery_id)
