"""Reading kudos back: leaderboard, /kudos mine, someone's kudos, the digest, the export."""

from __future__ import annotations

import argparse
import concurrent.futures
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import kudos as kudos_cli
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.kudos.queries import export_rows
from bot.replies import MentionSpan, NameSpan
from bot.requests import Mention, MentionKind, UserRef
from bot.storage import Database
from tests.core.kudos_support import ALICE, BOB, CAROL, DAN, PLATFORM, at, other, request
from tests.support.cores import start_core
from tests.support.recording import RecordingSender


@pytest.fixture
async def kudos_core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    outbound: RecordingSender,
    frozen_knowledge: KnowledgeStore,
) -> BotCore:
    outbound.platform = PLATFORM
    return await start_core(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=outbound,
    )


async def give(core: BotCore, *parts: str | Mention, sender: UserRef = ALICE) -> None:
    reply = await core.handle(request(*parts, sender=sender))
    assert reply is not None and "posted" in reply.text, reply


async def text_of(
    core: BotCore, *parts: str | Mention, staff: bool = False, sender: UserRef = ALICE
) -> str:
    reply = await core.handle(request(*parts, staff=staff, sender=sender))
    assert reply is not None
    return reply.text


async def test_leaderboard_ranks_by_received_kudos_with_names_not_pings(
    kudos_core: BotCore, clock: FixedClock
) -> None:
    await give(kudos_core, at(BOB), ", ", at(CAROL), " for the booth")
    await give(kudos_core, at(BOB), " for storytime", sender=CAROL)
    await give(kudos_core, at(DAN), " for the grant", sender=CAROL)
    reply = await kudos_core.handle(request("top"))
    assert reply is not None
    assert reply.message.mentioned_users() == []
    assert NameSpan(BOB) in list(reply.message.spans())
    lines = reply.text.splitlines()
    assert lines[0] == "🏆 Kudos leaderboard — November 2026"
    assert lines[-3:] == ["• 1. @bob — 2 kudos", "• 2. @carol — 1 kudos", "• 2. @dan — 1 kudos"]


async def test_leaderboard_periods(kudos_core: BotCore, clock: FixedClock) -> None:
    await give(kudos_core, at(CAROL), " for last year")  # 2026-11-23
    clock.set(datetime(2027, 1, 4, 15, 0, tzinfo=UTC))  # Monday
    await give(kudos_core, at(DAN), " for last week... no, this week")
    assert "@carol" not in await text_of(kudos_core, "top week")
    assert "@dan" in await text_of(kudos_core, "top week")
    assert "@carol" not in await text_of(kudos_core, "top year")
    board = await text_of(kudos_core, "top all")
    assert "@carol" in board and "@dan" in board
    assert "I don't know the period 'fortnight'" in await text_of(kudos_core, "top fortnight")
    clock.set(datetime(2027, 2, 1, 15, 0, tzinfo=UTC))
    assert "No kudos yet" in await text_of(kudos_core, "top")


async def test_mine_lists_received_and_given_with_dates_and_reasons(
    kudos_core: BotCore,
) -> None:
    await give(kudos_core, at(BOB), " for the booth <!channel>")
    await give(kudos_core, at(ALICE), " for mentoring me", sender=CAROL)
    await kudos_core.handle(request(at(ALICE), " thanks!", command="thanks", sender=DAN))
    text = await text_of(kudos_core, "mine")
    assert "Kudos you received: 1" in text
    assert "• Monday, November 23, 2026 — from @carol: for mentoring me" in text
    assert "Kudos you gave: 1" in text
    assert "to @bob: for the booth" in text
    assert "<!channel>" not in text
    assert "You have also received 1 private thank-you note by direct message." in text


async def test_someones_kudos(kudos_core: BotCore) -> None:
    await give(kudos_core, at(BOB), " for the booth")
    reply = await kudos_core.handle(request(at(BOB), sender=CAROL))
    assert reply is not None
    assert reply.message.mentioned_users() == []
    assert "Kudos received by @bob: 1" in reply.text
    assert "from @alice: for the booth" in reply.text
    assert "None yet" in await text_of(kudos_core, at(DAN))
    refused = await text_of(kudos_core, other(MentionKind.GROUP, "<!subteam^S1>"))
    assert "<!subteam^S1>" in refused and "group" in refused


async def test_help_explains_with_examples(kudos_core: BotCore) -> None:
    for parts in (("help",), ("",)):
        text = await text_of(kudos_core, *parts)
        assert "/kudos @maria for running the sensory storytime" in text
        assert "/thanks @someone" in text
        assert "up to 5 kudos" in text
        assert "digest" not in text
    assert "/kudos digest" in await text_of(kudos_core, "help", staff=True)


async def test_digest_is_staff_only(kudos_core: BotCore) -> None:
    text = await text_of(kudos_core, "digest")
    assert "staff only" in text


async def test_digest_summarises_the_month(kudos_core: BotCore, clock: FixedClock) -> None:
    clock.set(datetime(2026, 10, 20, 15, 0, tzinfo=UTC))
    await give(kudos_core, at(BOB), " for october", sender=CAROL)
    clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    await give(kudos_core, at(BOB), ", ", at(DAN), " for the booth")
    await give(kudos_core, at(BOB), " for storytime", sender=CAROL)
    reply = await kudos_core.handle(request("digest", staff=True))
    assert reply is not None
    text = reply.text
    assert not any(isinstance(span, MentionSpan) for span in reply.message.spans())
    assert "Kudos digest — November 2026" in text
    # one kudos to Bob and Dan is two kudos, as in /kudos mine, the leaderboard and the quota
    assert "Members gave 3 kudos this month: 2 members recognised 2 colleagues." in text
    assert "• @bob — 2 kudos" in text
    # Alice gave her first kudos ever this month; Carol had given one in October.
    assert "First-time givers — welcome to the habit: @alice." in text
    october = await text_of(kudos_core, "digest october", staff=True)
    assert (
        "October 2026" in october and "First-time givers — welcome to the habit: @carol" in october
    )
    assert "October 2026" in await text_of(kudos_core, "digest last", staff=True)
    assert "No kudos were given" in await text_of(kudos_core, "digest 2026-01", staff=True)
    assert "I don't understand the month" in await text_of(kudos_core, "digest soon", staff=True)


async def test_undone_kudos_leave_every_report(kudos_core: BotCore) -> None:
    await give(kudos_core, at(BOB), " for x")
    await kudos_core.handle(request("undo"))
    assert "No kudos yet" in await text_of(kudos_core, "top all")
    assert "Kudos you gave: 0" in await text_of(kudos_core, "mine")
    assert await export_rows(kudos_core.database) == []


async def test_export_csv(kudos_core: BotCore, clock: FixedClock) -> None:
    await give(kudos_core, at(BOB), ", ", at(CAROL), ' for the "booth", really')
    clock.advance(timedelta(days=2))
    await give(kudos_core, at(DAN), " =HYPERLINK(1)", sender=CAROL)
    rows = await export_rows(kudos_core.database, since=clock.now() - timedelta(days=1))
    assert [row.giver for row in rows] == [CAROL]
    stream = io.StringIO()
    kudos_cli.write_csv(
        await export_rows(kudos_core.database), stream=stream, tz=ZoneInfo("America/Chicago")
    )
    assert stream.getvalue().splitlines() == [
        "date,giver,giver_id,recipients,recipient_ids,reason,platform,channel",
        '2026-11-23T09:00:00-06:00,alice,U1,bob; carol,U2; U3,"for the ""booth"", really",'
        "slack,C-general",
        "2026-11-25T09:00:00-06:00,carol,U3,dan,U4,'=HYPERLINK(1),slack,C-general",
    ]


async def test_export_command_reads_the_configured_database(
    core: BotCore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await give(core, at(BOB), " for the booth")
    await core.database.dispose()
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", str(core.database.url).replace("+aiosqlite", ""))
    parser = argparse.ArgumentParser()
    kudos_cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["kudos", "export", "--csv", "--since", "2026-11-23"])
    assert await_cli(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("2026-11-23T09:00:00-06:00,alice,U1,bob,U2,for the booth")
    args = parser.parse_args(["kudos", "export", "--csv", "--since", "2026-11-24"])
    assert await_cli(args) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def await_cli(args: argparse.Namespace) -> int:
    """The CLI runs its own event loop, so run it in a worker thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(args.func, args).result()


async def test_mine_counts_each_person_recognised_as_one_kudos_given(
    kudos_core: BotCore,
) -> None:
    await give(kudos_core, at(BOB), ", ", at(CAROL), " and ", at(DAN), " for the booth")
    text = await text_of(kudos_core, "mine")
    assert "Kudos you gave: 3" in text  # as the quota and the leaderboard count
    assert "Kudos you received: 1" in await text_of(kudos_core, "mine", sender=BOB)


async def test_digest_of_a_past_month_speaks_of_that_month(
    kudos_core: BotCore, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 10, 20, 15, 0, tzinfo=UTC))
    await give(kudos_core, at(BOB), " for october", sender=CAROL)
    clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    october = await text_of(kudos_core, "digest october", staff=True)
    assert "Members gave 1 kudos in October 2026: 1 member recognised 1 colleague." in october
    assert "this month" not in october
    september = await text_of(kudos_core, "digest 2026-09", staff=True)
    assert "No kudos were given in September 2026." in september
    assert "this month" not in september and "yet" not in september
    current = await text_of(kudos_core, "digest", staff=True)
    assert "No kudos were given this month yet." in current


@pytest.mark.parametrize("month", ["2026-12", "2027-01", "2030-05"])
async def test_digest_refuses_a_month_that_has_not_started(kudos_core: BotCore, month: str) -> None:
    text = await text_of(kudos_core, f"digest {month}", staff=True)
    assert "hasn't started yet" in text
    assert "Kudos digest" not in text
    # a month name means the latest one that has started: December is last year's
    assert "December 2025" in await text_of(kudos_core, "digest december", staff=True)


async def test_digest_counts_a_kudos_to_three_people_as_three_like_every_count(
    kudos_core: BotCore,
) -> None:
    await give(kudos_core, at(BOB), ", ", at(CAROL), " and ", at(DAN), " for the booth")
    digest = await text_of(kudos_core, "digest", staff=True)
    assert "Members gave 3 kudos this month: 1 member recognised 3 colleagues." in digest
    assert "Kudos you gave: 3" in await text_of(kudos_core, "mine")
    board = await text_of(kudos_core, "top")
    assert board.count("— 1 kudos") == 3


async def test_digest_most_thanked_keeps_everyone_tied_for_the_last_place(
    kudos_core: BotCore,
) -> None:
    eve = UserRef(
        platform=PLATFORM, workspace_id=ALICE.workspace_id, user_id="U5", display_name="eve"
    )
    await give(kudos_core, at(BOB), " for the booth")
    await give(kudos_core, at(CAROL), ", ", at(DAN), " and ", at(eve), " for the booth")
    digest = await text_of(kudos_core, "digest", staff=True)
    most_thanked = digest.split("Most thanked:")[1]
    for name in ("@bob", "@carol", "@dan", "@eve"):
        assert f"{name} — 1 kudos" in most_thanked
