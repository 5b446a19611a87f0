from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import STORAGE_APOLOGY, BotCore
from bot.knowledge_store import KnowledgeStore
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import Member, ProcessedDelivery, UnansweredQuestion

ALICE = UserRef("console", "local", "alice", "Alice")


def request(command: str, text: str = "", **kwargs: object) -> Request:
    return Request(
        platform="console",
        workspace_id="local",
        channel_id="console",
        sender=ALICE,
        command=command,
        text=text,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_unknown_command_gets_help_not_an_error(core: BotCore) -> None:
    reply = await core.handle(request("frobnicate"))
    assert reply is not None
    assert "I don't know the command /frobnicate" in reply.text
    assert "/ask" in reply.text and "/deadlines" in reply.text


async def test_sender_is_recorded_as_a_member(core: BotCore) -> None:
    await core.handle(request("help"))
    async with core.database.session() as session:
        member = await session.scalar(select(Member))
    assert member is not None
    assert (member.platform, member.workspace_id, member.user_id) == ("console", "local", "alice")
    assert member.display_name == "Alice"


async def test_same_delivery_id_is_acted_on_once(core: BotCore) -> None:
    question = "What is the capital of Australia?"
    first = await core.handle(request("ask", question, delivery_id="evt-1"))
    retry = await core.handle(request("ask", question, delivery_id="evt-1"))
    assert first is not None
    assert retry is None
    async with core.database.session() as session:
        stored = await session.scalar(select(func.count()).select_from(UnansweredQuestion))
    assert stored == 1


async def test_failed_command_releases_its_delivery_for_a_retry(core: BotCore) -> None:
    reply = await core.handle(request("ask", "", delivery_id="evt-2"))
    assert reply is not None and "Ask me a question" in reply.text
    async with core.database.session() as session:
        claimed = await session.scalar(select(func.count()).select_from(ProcessedDelivery))
    assert claimed == 0


async def test_over_long_question_is_refused_politely(core: BotCore) -> None:
    reply = await core.handle(request("ask", "why " * 600))
    assert reply is not None
    assert "please keep it under 1,000 characters" in reply.text


async def test_database_down_still_answers_questions_and_refuses_writes_politely(
    settings: Settings, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    down = Database(url="postgresql://nobody@127.0.0.1:1/none")  # refuses every connection
    core = BotCore(settings=settings, database=down, knowledge=frozen_knowledge, clock=clock)
    try:
        # Questions, help and deadlines come from the knowledge file alone.
        answer = await core.handle(request("ask", "What is NDORH?", delivery_id="evt-3"))
        assert answer is not None and "racial healing" in answer.text.lower()
        unknown = await core.handle(request("ask", "Who won the world cup?"))
        assert unknown is not None and unknown.text != STORAGE_APOLOGY
        for command in ("help", "deadlines", "frobnicate"):
            reply = await core.handle(request(command, delivery_id=f"evt-{command}"))
            assert reply is not None and reply.text != STORAGE_APOLOGY, command
        # Anything that must be stored says so, and nothing half-happens.
        kudos = await core.handle(request("kudos", "for nothing", delivery_id="evt-4"))
        assert kudos is not None and kudos.text == STORAGE_APOLOGY
        reminders = await core.handle(request("reminders", "off"))
        assert reminders is not None and reminders.text == STORAGE_APOLOGY
    finally:
        await down.dispose()


async def test_unexpected_errors_become_an_apology(
    core: BotCore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(ctx):
        raise RuntimeError("internal detail")

    command = core.commands.get("deadlines")
    assert command is not None
    monkeypatch.setitem(
        core.commands._commands,
        "deadlines",
        command.__class__(name="deadlines", summary="", usage="", handler=explode),
    )
    reply = await core.handle(request("deadlines"))
    assert reply is not None
    assert "something went wrong" in reply.text
    assert "internal detail" not in reply.text
    assert "internal detail" in caplog.text


async def test_deadlines_when_every_date_has_passed_names_the_latest(core: BotCore) -> None:
    # The shipped sample's dates are all before the test clock's 2026.
    reply = await core.handle(request("deadlines"))
    assert reply is not None
    assert reply.text.startswith("There are no upcoming deadlines or events in my calendar.")
    assert "February 22, 2022, so it has passed" in reply.text


@pytest.mark.parametrize(
    ("command", "text", "suggestion"),
    [
        ("kudo", "@bob for the booth", "Did you mean: /kudos @bob for the booth"),
        ("hlep", "", "Did you mean: /help"),
        ("deadline", "ics", "Did you mean: /deadlines ics"),
        ("thank", "@sam merci", "Did you mean: /thanks @sam merci"),
    ],
)
async def test_a_mistyped_command_suggests_the_nearest_with_the_members_words(
    core: BotCore, command: str, text: str, suggestion: str
) -> None:
    reply = await core.handle(request(command, text))
    assert reply is not None
    assert f"I don't know the command /{command}. {suggestion}" in reply.text
    assert "Here is what I can do" in reply.text


async def test_an_unknown_command_repeats_what_was_typed(core: BotCore) -> None:
    reply = await core.handle(request("zzqx", "please keep my words"))
    assert reply is not None
    assert "I don't know the command /zzqx. You typed: /zzqx please keep my words" in reply.text
    assert "Did you mean" not in reply.text


async def test_staff_commands_are_not_suggested_to_members(core: BotCore) -> None:
    reply = await core.handle(request("broadcst", "dm hello"))
    assert reply is not None and "Did you mean: /broadcast" not in reply.text
    staff = await core.handle(request("broadcst", "dm hello", is_staff=True))
    assert staff is not None and "Did you mean: /broadcast dm hello" in staff.text


async def test_commands_follow_the_organisation_zone_when_the_knowledge_file_moves_it(
    core: BotCore,
) -> None:
    # Handlers' services are built once; a reload that moves the organisation to
    # another time zone must still reach them (dates are read and shown in it).
    def refusal() -> Request:
        return Request(
            "console",
            "local",
            "console",
            ALICE,
            "broadcast",
            "dm at 2020-01-06 09:00 Hello",
            is_staff=True,
        )

    before = await core.handle(refusal())
    assert before is not None and "(America/Chicago) is in the past" in before.text
    knowledge = core.knowledge.knowledge
    moved = knowledge.model_copy(
        update={
            "organisation": knowledge.organisation.model_copy(update={"timezone": "Europe/Paris"})
        }
    )
    core.settings.use_organisation_zone(moved, check=False)
    after = await core.handle(refusal())
    assert after is not None and "(Europe/Paris) is in the past" in after.text
