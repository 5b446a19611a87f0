"""Benchmark the Slack HTTP endpoint: /ask, /kudos and button clicks vs a bare Bolt app.

Both apps are real ``AsyncApp`` instances served by the same aiohttp stack on
127.0.0.1, verify the same HMAC signatures, and talk to the same fake Slack
(``tests/fakes/fake_slack.py``, in a thread). The memberbot app is wired as
``memberbot run slack`` wires it (one HTTP session for Slack calls, the start-up
``auth.test`` handed to Bolt, the start-up heap frozen for the garbage collector,
which is process-wide and so helps the bare app too). It acks at once and does
its work afterwards (answer, database writes, response_url / kudos post), so the
ack figures show what Slack waits for; the "drained" column shows how long all
the work behind those acks took to finish. Rounds alternate bare and real
so machine noise hits both; medians over rounds are reported. "click" rows are
signed ``block_actions`` payloads (a button each member presses: their broadcast
DM choice), acked at once and answered through their ``response_url``.

Exits 1 if any command was lost or acted on twice (never on a time)::

    .venv/bin/python bench/slack_http.py [--requests 1500] [--concurrency 32] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack.app import build_sender, build_slack_bot, create_web_app
from adapters.slack.client import build_client
from adapters.slack.serve import settle_heap
from adapters.slack.settings import SlackSettings
from adapters.slack.startup import verify_bot_token
from bot.config import Settings
from bot.runner import build_core
from tests.adapters.slack.interactive_support import block_actions, interactive_body
from tests.adapters.slack.support import (
    FORM,
    SIGNING_SECRET,
    signed_headers,
    slash_command_body,
)
from tests.fakes.fake_slack import FakeSlack, FakeUser

GIVERS = 100
#: What is measured: two slash commands and a button click (``block_actions``).
CLICK = "click"
KINDS = ("/ask", "/kudos", CLICK)
#: The button every member presses in the click rounds: "are broadcast DMs on for me?"
CLICK_VALUE = "rm:status"
QUESTIONS = (
    "When do mentoring applications close?",
    "What is Día?",
    "How do I join a committee?",
    "When is the membership mixer?",
)


@dataclass(frozen=True)
class RunResult:
    acks_per_second: float
    p50_ms: float
    p99_ms: float
    drained_seconds: float


async def start_server(app: AsyncApp) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(create_web_app(app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"


def bare_app(fake: FakeSlack) -> AsyncApp:
    """The baseline: same client, same signature checks, listeners that only ack."""
    app = AsyncApp(
        client=build_client(token="xoxb-bench", base_url=fake.api_url),
        signing_secret=SIGNING_SECRET,
    )

    async def only_ack(ack: AsyncAck) -> None:
        await ack()

    for command in ("/ask", "/kudos"):
        app.command(command)(only_ack)
    app.action(re.compile(".*"))(only_ack)
    return app


def _name(kind: str) -> str:
    return kind.lstrip("/")


def bodies(command: str, count: int, *, fake: FakeSlack, round_index: int) -> list[str]:
    result = []
    for n in range(count):
        giver = n % GIVERS
        if command == CLICK:
            payload = block_actions(
                CLICK_VALUE,
                user_id=f"U{giver:04d}",
                response_url=fake.response_url(f"{CLICK}-{round_index}-{n}"),
                trigger_id=f"bench-{CLICK}-{round_index}-{n}",
            )
            result.append(interactive_body(payload))
            continue
        if command == "/ask":
            text = QUESTIONS[n % len(QUESTIONS)]
        else:
            text = f"<@U{(giver + 1) % GIVERS:04d}> for the storytime number {n}"
        result.append(
            slash_command_body(
                command,
                text,
                response_url=fake.response_url(f"{command[1:]}-{round_index}-{n}"),
                user_id=f"U{giver:04d}",
                user_name=f"member{giver}",
                trigger_id=f"bench-{command[1:]}-{round_index}-{n}",
            )
        )
    return result


async def load(url: str, payloads: list[str], concurrency: int) -> tuple[float, list[float]]:
    """POST every payload (signed just before sending) with ``concurrency`` in flight."""
    latencies: list[float] = []
    queue = iter(payloads)
    failures = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal failures
        for body in queue:
            headers = signed_headers(body, content_type=FORM)
            started = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=headers) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"correctness failure: {failures} requests were not acked with 200")
    return elapsed, latencies


async def measure(
    url: str, payloads: list[str], concurrency: int, *, done: Callable[[], bool]
) -> RunResult:
    elapsed, latencies = await load(url, payloads, concurrency)
    drain_started = time.perf_counter()
    deadline = drain_started + 120
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("correctness failure: work behind the acks never finished")
        await asyncio.sleep(0.01)
    latencies.sort()
    return RunResult(
        acks_per_second=len(payloads) / elapsed,
        p50_ms=1000 * latencies[len(latencies) // 2],
        p99_ms=1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        drained_seconds=elapsed + (time.perf_counter() - drain_started),
    )


async def main(args: argparse.Namespace) -> int:
    users = [FakeUser(f"U{n:04d}", f"member{n}") for n in range(GIVERS)]
    with FakeSlack(users=users) as fake, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), kudos_daily_quota=1000, _env_file=None)  # type: ignore[call-arg]
        slack_settings = SlackSettings(  # type: ignore[call-arg]
            _env_file=None,
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
            slack_kudos_channel="CKUDOS",
        )
        # Wired as ``memberbot run slack`` wires it: one long-lived HTTP session for
        # Slack calls, and the start-up auth.test result handed to Bolt.
        session = aiohttp.ClientSession()
        sender = build_sender(slack_settings, session=session)
        identity = await verify_bot_token(sender.client)
        core = build_core(settings, outbound=sender)
        await core.start()
        bot = build_slack_bot(core=core, settings=slack_settings, sender=sender, identity=identity)
        real_runner, real_url = await start_server(bot.app)
        bare_runner, bare_url = await start_server(bare_app(fake))
        # As ``memberbot run slack`` does once started; process-wide, so both apps gain.
        settle_heap()
        results: dict[tuple[str, str], list[RunResult]] = {}
        try:
            for command in KINDS:
                # Warm up both (auth.test, users.info caches, first queries).
                await load(bare_url, bodies(command, 50, fake=fake, round_index=-1), 8)
                await load(real_url, bodies(command, 50, fake=fake, round_index=-2), 8)
                await asyncio.sleep(0.5)
                for round_index in range(args.rounds):
                    payloads = bodies(command, args.requests, fake=fake, round_index=round_index)
                    bare = await measure(bare_url, payloads, args.concurrency, done=lambda: True)
                    results.setdefault((command, "bare Bolt ack"), []).append(bare)
                    expected = (round_index + 1) * args.requests
                    fake_count = _counter(fake, command)
                    real = await measure(
                        real_url,
                        payloads,
                        args.concurrency,
                        done=lambda count=fake_count, target=expected: count() >= target,
                    )
                    results.setdefault((command, "memberbot"), []).append(real)
                check_exactly_once_rounds(fake, command, args.requests * args.rounds)
        finally:
            await real_runner.cleanup()
            await bare_runner.cleanup()
            await core.database.dispose()
            await session.close()
    print_table(results, args)
    return 0


def _counter(fake: FakeSlack, command: str) -> Callable[[], int]:
    prefix = f"/response/{_name(command)}-"

    def count() -> int:
        return sum(
            1
            for c in fake.responses()
            if c.path.startswith(prefix) and not c.path.startswith(prefix + "-")
        )

    return count


def check_exactly_once_rounds(fake: FakeSlack, command: str, expected: int) -> None:
    prefix = f"/response/{_name(command)}-"
    measured = [
        c.path
        for c in fake.responses()
        if c.path.startswith(prefix) and not c.path.startswith(prefix + "-")
    ]
    if len(measured) != expected or len(set(measured)) != expected:
        raise SystemExit(
            f"correctness failure: {command}: {len(measured)} replies "
            f"({len(set(measured))} distinct) for {expected} requests"
        )
    if command == "/kudos":
        posts = [c for c in fake.delivered() if c.params.get("channel") == "CKUDOS"]
        warmup = 50
        if len(posts) != expected + warmup:
            raise SystemExit(
                f"correctness failure: {len(posts)} kudos posts for {expected + warmup} kudos"
            )


def print_table(results: dict[tuple[str, str], list[RunResult]], args: argparse.Namespace) -> None:
    print(
        f"\nSlack HTTP endpoint, {args.requests} signed requests x {args.rounds} rounds, "
        f"{args.concurrency} in flight (medians over rounds)\n"
    )
    header = (
        f"{'command':<8} {'app':<14} {'acks/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'drained s':>10} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for command in KINDS:
        baseline = statistics.median(r.acks_per_second for r in results[(command, "bare Bolt ack")])
        for app_name in ("bare Bolt ack", "memberbot"):
            runs = results[(command, app_name)]
            rps = statistics.median(r.acks_per_second for r in runs)
            print(
                f"{command:<8} {app_name:<14} {rps:>8.0f} "
                f"{statistics.median(r.p50_ms for r in runs):>8.1f} "
                f"{statistics.median(r.p99_ms for r in runs):>8.1f} "
                f"{statistics.median(r.drained_seconds for r in runs):>10.2f} "
                f"{rps / baseline:>6.2f}"
            )
    print("\nratio = acks/s relative to the bare Bolt app in the same run (target >= 0.80)")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
