"""``memberbot ask``: answer questions from the command line (one, or one per stdin line)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from bot.answers.service import answer_question
from bot.cli.common import build_core, clock_for, load_cli_settings, parse_date, run_async
from bot.core import BotCore
from bot.errors import UserError
from bot.markup import parse_markup


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


async def ask(core: BotCore, question: str, *, today: date | None = None) -> AskResult:
    """Answer one question exactly as ``/ask`` would (this is the dev-set code path)."""
    try:
        answer = await answer_question(
            knowledge=core.knowledge,
            database=core.database,
            question=question,
            today=today or core.today(),
            now=core.now(),
            platform="cli",
        )
    except UserError as error:
        return AskResult(question, False, error.message, (), 0.0)
    text = parse_markup(answer.text).plain_text()
    return AskResult(question, answer.answered, text, tuple(answer.sources), float(answer.score))


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

    async def main() -> int:
        core = build_core(settings, clock=clock_for(args.today, settings))
        await core.start()
        try:
            for question in questions:
                if not question.strip():
                    continue
                result = await ask(core, question)
                stdout.write((result.to_json() if args.json else result.answer) + "\n")
                stdout.flush()
        finally:
            await core.database.dispose()
        return 0

    return run_async(main)
