"""Shared fixtures and helpers for the staff answer loop tests (tests/core/test_staff_loop*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.actions import Button, Form, click_request, form_request
from bot.answers.review import review_list
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.replies import Reply
from bot.requests import ArgumentValue, Request, UserRef
from bot.storage import Database
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE
from tests.support.recording import RecordingSender

PLATFORM, WORKSPACE = "slack", "T1"
ANA = UserRef(PLATFORM, WORKSPACE, "U1", "Ana")
DANA = UserRef(PLATFORM, WORKSPACE, "U9", "Dana")
SAM = UserRef(PLATFORM, WORKSPACE, "U8", "Sam")
PARKING = "Where can I park my bike at the conference hotel?"


@pytest.fixture(name="sender")
def sender_fixture() -> RecordingSender:
    return RecordingSender(platform=PLATFORM, channels={"staff": "#staff"}, members=[ANA])


@pytest.fixture(name="knowledge_file")
def knowledge_file_fixture(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_bytes(FROZEN_KNOWLEDGE_FILE.read_bytes())
    return path


@pytest.fixture(name="bot")
async def bot_fixture(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: RecordingSender,
    knowledge_file: Path,
) -> BotCore:
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=KnowledgeStore(path=knowledge_file, settle_seconds=3600),
        clock=clock,
        outbound=sender,
    )
    await core.start()
    return core


def typed(command: str, text: str, *, user: UserRef = ANA, staff: bool = False) -> Request:
    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="C-general",
        sender=user,
        command=command,
        text=text,
        is_staff=staff,
    )


def click(value: str, *, user: UserRef = DANA, staff: bool = True, delivery: str = "") -> Request:
    return click_request(
        value,
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="C-staff",
        sender=user,
        delivery_id=delivery or None,
        is_staff=staff,
    )


def submit(
    form: Form, fields: dict[str, ArgumentValue], *, user: UserRef = DANA, staff: bool = True
) -> Request:
    return form_request(
        form.ref.encode(),
        fields,
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="C-staff",
        sender=user,
        is_staff=staff,
    )


async def handled(bot: BotCore, incoming: Request) -> Reply:
    reply = await bot.handle(incoming)
    assert reply is not None
    return reply


def button(reply: Reply, label: str) -> Button:
    found = [a for a in reply.actions if isinstance(a, Button) and a.label == label]
    assert found, [getattr(a, "label", a) for a in reply.actions]
    return found[0]


async def ask_staff(bot: BotCore, question: str = PARKING, *, user: UserRef = ANA) -> int:
    """A member asks staff; the question's number on the list."""
    reply = await handled(bot, typed("ask-staff", question, user=user))
    assert "passed your question on to the staff" in reply.text
    items = [item for item in await review_list(bot.database) if item.question == question]
    assert len(items) == 1
    return items[0].id


async def open_answer_form(bot: BotCore, question_id: int, *, user: UserRef = DANA) -> Form:
    reply = await handled(bot, click(f"unanswered:answer:{question_id}", user=user))
    assert reply.form is not None, reply.text
    return reply.form
