"""Load for ``bench/kudos.py``: members sending commands through ``BotCore.handle``.

Two runs per database, each checked against what was stored:

* ``run_saturation``: concurrent givers sending ``/kudos`` back to back, as fast
  as the bot answers; about 5% of deliveries are sent twice at the same moment
  with the same delivery id (a platform retry). Gives the most kudos per second.
* ``run_paced``: commands arriving at a steady rate, each on time whatever the
  answers take: latency per command at a sustained load. Either ``/kudos``
  alone (at the target rate) or a mix (:data:`MIXED`: ``/kudos`` mostly, with
  ``/thanks``, ``/kudos top``, ``/kudos mine`` and ``/kudos @someone``).
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.clock import SystemClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.outbound import ChannelTarget, DeliveryKey, PostedMessage
from bot.replies import Message, Reply
from bot.requests import Mention, MentionKind, Request, UserRef, mention_token
from bot.storage import Database
from bot.storage.models import Kudos, ThankYouNote

PLATFORM = "bench"
WORKSPACE = "W1"
RECIPIENT_POOL = 500
RETRY_SHARE = 0.05
SEED = 20261123
KNOWLEDGE_FILE = Path(__file__).resolve().parent.parent / "data" / "knowledge.yaml"
# When the bot answers "database busy" it has released the delivery id; a platform
# (Slack) redelivers the same event, so the bench does too.
PLATFORM_REDELIVERIES = 4
REDELIVERY_PAUSE_S = 0.5
#: Commands a member sends, with their share of a busy hour: mostly giving kudos.
MIXED = (
    ("/kudos", 0.85),
    ("/thanks", 0.05),
    ("/kudos top", 0.04),
    ("/kudos mine", 0.03),
    ("/kudos @someone", 0.03),
)


class CountingSender:
    """A real OutboundSender that delivers nowhere and counts what it was asked."""

    platform = PLATFORM

    def __init__(self) -> None:
        self.posts = 0
        self.dms = 0
        self._ids = itertools.count(1)

    async def post(
        self, *, target: ChannelTarget, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        self.posts += 1
        return PostedMessage(PLATFORM, target.fallback_channel_id or "kudos", str(next(self._ids)))

    async def send_dm(
        self, *, user: UserRef, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        self.dms += 1
        return PostedMessage(PLATFORM, f"dm:{user.user_id}", str(next(self._ids)))

    async def delete(self, *, posted: PostedMessage) -> None:
        return None

    async def list_members(self) -> list[UserRef]:
        return []


@dataclass
class LoadResult:
    database: str
    run: str
    accepted: int  # kudos the bot confirmed
    stored: int
    lost: int  # confirmed but not stored
    doubled: int  # one delivery stored twice
    unconfirmed: int  # stored although the giver was told nothing was saved
    retries: int
    duplicates_ignored: int
    busy: int  # "can't reach my database" answers
    given_up: int  # deliveries still busy after every platform redelivery
    posts: int  # -1: not counted (baseline)
    seconds: float
    latencies_ms: list[float]
    offered_rate: float | None = None  # paced runs: commands per second sent
    by_command: dict[str, list[float]] = field(default_factory=dict)
    notes_lost: int = 0  # paced runs: /thanks confirmed but not stored

    @property
    def throughput(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0

    def percentile(self, share: float, values: list[float] | None = None) -> float:
        ordered = sorted(self.latencies_ms if values is None else values)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def problems(self) -> list[str]:
        """What went wrong, in words; empty when the run is correct."""
        found = []
        if self.lost or self.notes_lost:
            found.append(f"{self.lost} kudos and {self.notes_lost} notes confirmed but not stored")
        if self.doubled:
            found.append(f"{self.doubled} deliveries stored twice")
        if self.unconfirmed:
            found.append(f"{self.unconfirmed} kudos stored although refused")
        if self.given_up:
            found.append(f"{self.given_up} deliveries given up after every redelivery")
        if self.posts not in (self.accepted, -1):
            found.append(f"{self.posts} posts for {self.accepted} kudos")
        return found


def person(index: int, prefix: str = "U") -> UserRef:
    return UserRef(PLATFORM, WORKSPACE, f"{prefix}{index}", f"{prefix.lower()}{index}")


def command_request(
    sender: UserRef, command: str, delivery_id: str, *, recipient: UserRef | None = None
) -> Request:
    """A request as an adapter makes it; ``command`` is one of :data:`MIXED`."""
    name, _, rest = command.lstrip("/").partition(" ")
    mentions: tuple[Mention, ...] = ()
    if recipient is not None:
        mentions = (Mention(MentionKind.USER, f"<@{recipient.user_id}>", recipient),)
    text = {
        "/kudos": f"{mention_token(0)} for running the sensory storytime",
        "/thanks": f"{mention_token(0)} thank you for covering my desk shift",
        "/kudos @someone": mention_token(0),
    }.get(command, rest)
    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="C-kudos",
        sender=sender,
        command=name,
        text=text,
        mentions=mentions,
        delivery_id=delivery_id,
    )


def bench_core(database: Database, data_dir: Path, sender: CountingSender) -> BotCore:
    # Givers send hundreds of kudos each: the quota is raised so every one is accepted.
    settings = Settings(data_dir=data_dir, kudos_daily_quota=1000, _env_file=None)  # type: ignore[call-arg]
    return BotCore(
        settings=settings,
        database=database,
        knowledge=KnowledgeStore(path=KNOWLEDGE_FILE),
        clock=SystemClock(),
        outbound=sender,
    )


class Deliveries:
    """Sends requests like a platform: timed, redelivered while the bot is busy."""

    def __init__(self, core: BotCore) -> None:
        self.core = core
        self.latencies: list[float] = []
        self.by_command: dict[str, list[float]] = {}
        self.ignored = 0
        self.busy = 0
        self.given_up = 0

    async def deliver(self, request: Request, command: str) -> Reply | str | None:
        """The reply, None for an ignored duplicate, or "given up"."""
        for _ in range(PLATFORM_REDELIVERIES):
            started = time.perf_counter()
            reply = await self.core.handle(request)
            elapsed = (time.perf_counter() - started) * 1000
            self.latencies.append(elapsed)
            self.by_command.setdefault(command, []).append(elapsed)
            if reply is None:
                self.ignored += 1
                return None
            if "can't reach my database" not in reply.text:
                return reply
            self.busy += 1
            await asyncio.sleep(REDELIVERY_PAUSE_S)
        self.given_up += 1
        return "given up"


def _accepted(reply: Reply | str | None, what: str) -> bool:
    if reply is None or reply == "given up":
        return False
    assert isinstance(reply, Reply)
    if what in reply.text:
        return True
    if "can't reach my database" in reply.text:
        return False
    raise RuntimeError(f"refused: {reply.text}")


async def run_saturation(
    database: Database, *, name: str, total: int, givers: int, data_dir: Path
) -> LoadResult:
    sender = CountingSender()
    deliveries = Deliveries(bench_core(database, data_dir, sender))
    rng = random.Random(SEED)
    per_giver = [total // givers + (1 if i < total % givers else 0) for i in range(givers)]
    accepted_ids: set[str] = set()
    retries = 0

    async def giver_task(index: int) -> None:
        nonlocal retries
        giver = person(index, f"{name}-G")
        for number in range(per_giver[index]):
            recipient = person(rng.randrange(RECIPIENT_POOL))
            delivery_id = f"{name}-sat-{index}-{number}"
            request = command_request(giver, "/kudos", delivery_id, recipient=recipient)
            copies = 1
            if rng.random() < RETRY_SHARE:
                retries += 1
                copies = 2
            replies = await asyncio.gather(
                *(deliveries.deliver(request, "/kudos") for _ in range(copies))
            )
            confirmed = sum(_accepted(reply, "posted") for reply in replies)
            if confirmed > 1:
                raise RuntimeError(f"delivery {delivery_id} confirmed twice")
            if confirmed:
                accepted_ids.add(delivery_id)

    started = time.perf_counter()
    await asyncio.gather(*(giver_task(i) for i in range(givers)))
    seconds = time.perf_counter() - started
    return await _checked(
        database,
        name=name,
        run=f"saturation: {givers} givers back to back",
        prefix=f"{name}-sat-",
        accepted_ids=accepted_ids,
        deliveries=deliveries,
        sender=sender,
        retries=retries,
        seconds=seconds,
    )


async def run_paced(
    database: Database,
    *,
    name: str,
    rate: float,
    seconds: float,
    givers: int,
    data_dir: Path,
    mix: tuple[tuple[str, float], ...] = (("/kudos", 1.0),),
) -> LoadResult:
    """Commands of ``mix`` at ``rate`` per second for ``seconds``, each sent on time
    (not after the previous answer), from ``givers`` members taking turns."""
    sender = CountingSender()
    deliveries = Deliveries(bench_core(database, data_dir, sender))
    rng = random.Random(SEED + 3)
    tag = "paced" if len(mix) == 1 else "mixed"  # keeps each run's delivery ids apart
    commands = [command for command, _ in mix]
    weights = [share for _, share in mix]
    accepted_ids: set[str] = set()
    notes_confirmed: set[str] = set()
    total = int(rate * seconds)

    async def one(number: int, command: str) -> None:
        sender_ref = person(number % givers, f"{name}-{tag}-P")
        recipient = person(rng.randrange(RECIPIENT_POOL))
        delivery_id = f"{name}-{tag}-{number}"
        request = command_request(sender_ref, command, delivery_id, recipient=recipient)
        reply = await deliveries.deliver(request, command)
        if command == "/kudos" and _accepted(reply, "posted"):
            accepted_ids.add(delivery_id)
        elif command == "/thanks" and _accepted(reply, "delivered privately"):
            notes_confirmed.add(delivery_id)

    tasks: list[asyncio.Task[None]] = []
    started = time.perf_counter()
    for number in range(total):
        delay = started + number / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        command = rng.choices(commands, weights)[0]
        tasks.append(asyncio.create_task(one(number, command)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    result = await _checked(
        database,
        name=name,
        run=f"paced: {rate:,.0f} {'/kudos' if len(mix) == 1 else 'mixed commands'}/s",
        prefix=f"{name}-{tag}-",
        accepted_ids=accepted_ids,
        deliveries=deliveries,
        sender=sender,
        retries=0,
        seconds=elapsed,
    )
    result.offered_rate = rate
    stored_notes = await _stored_note_ids(database, prefix=f"{name}-{tag}-")
    result.notes_lost = len(notes_confirmed - stored_notes)
    return result


async def _checked(
    database: Database,
    *,
    name: str,
    run: str,
    prefix: str,
    accepted_ids: set[str],
    deliveries: Deliveries,
    sender: CountingSender,
    retries: int,
    seconds: float,
) -> LoadResult:
    stored, doubled, stored_ids = await stored_summary(database, prefix=prefix)
    return LoadResult(
        database=name,
        run=run,
        accepted=len(accepted_ids),
        stored=stored,
        lost=len(accepted_ids - stored_ids),
        doubled=doubled,
        unconfirmed=len(stored_ids - accepted_ids),
        retries=retries,
        duplicates_ignored=deliveries.ignored,
        busy=deliveries.busy,
        given_up=deliveries.given_up,
        posts=sender.posts,
        seconds=seconds,
        latencies_ms=deliveries.latencies,
        by_command=deliveries.by_command,
    )


async def stored_summary(database: Database, *, prefix: str) -> tuple[int, int, set[str]]:
    """(kudos stored, delivery ids stored more than once, the delivery ids stored)."""
    async with database.session() as session:
        ids = list(
            await session.scalars(
                select(Kudos.delivery_id).where(Kudos.delivery_id.like(f"{prefix}%"))
            )
        )
    return len(ids), len(ids) - len(set(ids)), {i for i in ids if i is not None}


async def _stored_note_ids(database: Database, *, prefix: str) -> set[str]:
    async with database.session() as session:
        ids = await session.scalars(
            select(ThankYouNote.delivery_id).where(ThankYouNote.delivery_id.like(f"{prefix}%"))
        )
        return {i for i in ids if i is not None}
