"""``memberbot ask``: answer questions from the command line (one, or one per stdin line).

Most questions are answered from the knowledge file alone, so ``ask`` opens the
database only to store a question it could not answer: loading the storage layer
(SQLAlchemy, and Alembic when a migration is due) takes longer than all the rest.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, TextIO

from bot.answers.service import answer_question
from bot.cli.common import (
    EXIT_USAGE,
    clock_for,
    load_cli_settings,
    open_database,
    parse_date,
    run_async,
)
from bot.clock import Clock, local_today
from bot.config import Settings
from bot.errors import StorageUnavailable, UserError
from bot.knowledge_store import KnowledgeStore
from bot.markup import parse_markup
from bot.requests import clean_member_text

if TYPE_CHECKING:
    from bot.storage import Database
    from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class AskContext(Protocol):
    """What answering needs: a :class:`~bot.core.BotCore`, or the CLI's :class:`Asker`."""

    @property
    def knowledge(self) -> KnowledgeStore: ...

    @property
    def database(self) -> Database | OnDemandDatabase: ...

    def now(self) -> datetime: ...

    def today(self) -> date: ...


@dataclass(frozen=True, slots=True)
class AskResult:
    question: str
    answered: bool
    answer: str  # the text a member would see
    sources: tuple[str, ...]
    score: float

    def to_json(self) -> str:
        return json.dumps(
            {
                "question": self.question,
                "answered": self.answered,
                "answer": self.answer,
                "sources": list(self.sources),
                "score": round(self.score, 4),
            },
            ensure_ascii=False,
        )


async def ask(context: AskContext, question: str, *, today: date | None = None) -> AskResult:
    """Answer one question exactly as ``/ask`` would (this is the dev-set code path)."""
    question = clean_member_text(question)  # argv and stdin may hold bytes that were not UTF-8
    try:
        answer = await answer_question(
            knowledge=context.knowledge,
            database=context.database,  # a Database, or one opened on demand
            question=question,
            today=today or context.today(),
            now=context.now(),
            platform="cli",
        )
    except UserError as error:
        return AskResult(question, False, error.message, (), 0.0)
    text = parse_markup(answer.text).plain_text()
    return AskResult(question, answer.answered, text, tuple(answer.sources), float(answer.score))


class OnDemandDatabase:
    """The database, opened and brought to the newest schema on first use.

    Stands in for :class:`~bot.storage.Database` where only :meth:`unit_of_work` is
    used (storing unanswered questions). Opening errors surface there, as they
    would from the database itself: an outage is :class:`StorageUnavailable`.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._database: Database | None = None
        self._migrated = False
        # One outage per run: `ask -` must not wait out a connect timeout for every miss.
        self._unavailable: StorageUnavailable | None = None

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        database = await self._open()
        async with database.unit_of_work() as work:
            yield work

    async def _open(self) -> Database:
        if self._database is None:
            # No waiting for a database that is starting: the answer comes first.
            self._database = open_database(self.settings, wait_at_start=False)
        if self._unavailable is not None:
            raise self._unavailable
        if not self._migrated:
            try:
                await self._database.upgrade()
            except StorageUnavailable as error:
                log.warning("database unavailable: %s", error)
                self._unavailable = error
                raise
            self._migrated = True
        return self._database

    async def dispose(self) -> None:
        if self._database is not None:
            await self._database.dispose()


class Asker:
    """What ``memberbot ask`` needs of the core, and nothing more (no commands, no
    background services, no database until a miss is stored)."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.knowledge = KnowledgeStore.from_settings(settings)
        self.database = OnDemandDatabase(settings)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return local_today(self.clock, self.settings.timezone)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="answer a question (or one per line from stdin with '-')",
        description="Answer a question from the knowledge file, as /ask does in chat.",
    )
    parser.add_argument("question", nargs="+", help="the question, or '-' to read stdin")
    parser.add_argument("--today", type=parse_date, help="answer as if today were YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    settings = load_cli_settings()
    questions: Iterable[str]
    if args.question == ["-"]:
        questions = (line.rstrip("\n") for line in stdin)
    else:
        questions = [" ".join(args.question)]
        if not questions[0].strip():
            print("usage: memberbot ask QUESTION (the question is empty)", file=sys.stderr)
            return EXIT_USAGE

    async def main() -> int:
        asker = Asker(settings, clock_for(args.today, settings))
        try:
            for question in questions:
                if not question.strip():
                    continue
                result = await ask(asker, question)
                stdout.write((result.to_json() if args.json else result.answer) + "\n")
                stdout.flush()
        finally:
            await asker.database.dispose()
        return 0

    return run_async(main)
