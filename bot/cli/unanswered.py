"""``memberbot unanswered``: what members asked that the knowledge could not answer, and
what staff do about it (claim, answer and teach, or mark "not for us").

Without a sub-command it lists the questions waiting for staff, most asked first,
each with its id and state. ``answer ID --text ... --as NAME`` records staff's
answer and, with ``--teach-to ENTRY`` or ``--new-entry``, teaches it to the bot
(the knowledge file gains only the added lines; running bots load it at once).
``dismiss ID --as NAME`` takes a question off the list. ``--feedback`` shows the
helpful rate of each entry's answers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_USAGE, load_cli_settings, open_database, run_async
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.answers.review import EntryFeedback, ReviewItem
    from bot.config import Settings
    from bot.knowledge.teach import Draft, TeachResult
    from bot.storage import Database


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unanswered",
        help="questions the bot could not answer: list, claim, answer and teach, dismiss",
        description=(
            "Without a sub-command: the questions waiting for staff, most asked first, "
            "with their id and state."
        ),
    )
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--all", action="store_true", help="also list answered questions")
    parser.add_argument(
        "--feedback", action="store_true", help="helpful rate of each entry's answers instead"
    )
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    claim = actions.add_parser("claim", help="take a question so no one else answers it")
    claim.add_argument("id", type=int)
    claim.add_argument("--as", dest="who", required=True, metavar="NAME")
    claim.set_defaults(func=run_claim)

    answer = actions.add_parser(
        "answer", help="record staff's answer; optionally teach it to the bot"
    )
    answer.add_argument("id", type=int)
    answer.add_argument("--text", required=True, help="the answer, in the knowledge markup")
    answer.add_argument("--as", dest="who", required=True, metavar="NAME")
    teach = answer.add_mutually_exclusive_group()
    teach.add_argument(
        "--teach-to", metavar="ENTRY_ID", help="add the member's wording to this entry"
    )
    teach.add_argument(
        "--new-entry", action="store_true", help="create a new entry from this answer"
    )
    answer.add_argument("--title", help="--new-entry: the entry's title")
    answer.add_argument("--entry-id", help="--new-entry: its id (default: made from the title)")
    answer.add_argument(
        "--question",
        action="append",
        default=[],
        help="--new-entry: another wording members use (repeatable)",
    )
    answer.add_argument("--link", action="append", default=[], metavar="TITLE=URL")
    answer.add_argument("--contact", metavar="CONTACT_ID", help="--new-entry: a contact id")
    answer.set_defaults(func=run_answer)

    dismiss = actions.add_parser("dismiss", help='mark a question "not for us" (off the list)')
    dismiss.add_argument("id", type=int)
    dismiss.add_argument("--as", dest="who", required=True, metavar="NAME")
    dismiss.set_defaults(func=run_dismiss)


def _database_run(settings: Settings, work: Callable[[Database], Awaitable[int]]) -> int:
    """Run ``work`` on the database; a refusal (taken by someone else, a teach refused,
    no such question) is one line on stderr and exit code 2."""

    async def main() -> int:
        database = open_database(settings)
        try:
            await database.upgrade()
            return await work(database)
        except UserError as error:
            print(error.message, file=sys.stderr)
            return EXIT_USAGE
        finally:
            await database.dispose()

    return run_async(main)


def run_list(args: argparse.Namespace) -> int:
    from bot.answers.review import feedback_report, review_list

    settings = load_cli_settings()

    async def work(database: Database) -> int:
        if args.feedback:
            _print_feedback(await feedback_report(database), as_json=args.json)
            return 0
        items = await review_list(database, limit=args.limit, include_closed=args.all)
        if not items and not args.json:
            print("No unanswered questions waiting.")
        for item in items:
            print(_json_line(item) if args.json else _text_line(item))
        return 0

    return _database_run(settings, work)


def _state(item: ReviewItem) -> str:
    if item.status == "claimed":
        return f"claimed by {item.claimed_by}"
    return item.status


def _text_line(item: ReviewItem) -> str:
    why = f"  [unhelpful answer from {item.entry_id}]" if item.reason == "unhelpful" else ""
    return (
        f"{item.id:>6}  {item.count:>5}  {item.last_asked:%Y-%m-%d}  "
        f"{_state(item):<20}  {item.question}{why}"
    )


def _json_line(item: ReviewItem) -> str:
    record = {
        "id": item.id,
        "question": item.question,
        "count": item.count,
        "last_asked": item.last_asked.isoformat(),
        "status": item.status,
        "claimed_by": item.claimed_by,
        "reason": item.reason,
        "entry_id": item.entry_id,
        "bot_answer": item.bot_answer,
        "comment": item.comment,
    }
    return json.dumps(record, ensure_ascii=False)


def _print_feedback(rows: list[EntryFeedback], *, as_json: bool) -> None:
    if not rows and not as_json:
        print("No feedback on answers yet.")
    for row in rows:
        if as_json:
            record = {
                "entry_id": row.entry_id,
                "helpful": row.helpful,
                "unhelpful": row.unhelpful,
                "helpful_rate": round(row.helpful_rate, 3),
            }
            print(json.dumps(record))
        else:
            print(
                f"{row.helpful_rate:>5.0%}  {row.helpful:>4} helpful  "
                f"{row.unhelpful:>4} not helpful  {row.entry_id}"
            )


def run_claim(args: argparse.Namespace) -> int:
    from bot.answers.review import claim

    settings = load_cli_settings()

    async def work(database: Database) -> int:
        item = await claim(database, args.id, who=args.who, now=_now())
        print(f"Question {item.id} is yours, {args.who}: {item.question}")
        return 0

    return _database_run(settings, work)


def run_dismiss(args: argparse.Namespace) -> int:
    from bot.answers.review import dismiss

    settings = load_cli_settings()

    async def work(database: Database) -> int:
        item = await dismiss(database, args.id, who=args.who, now=_now())
        times = "" if item.count == 1 else f" (asked {item.count} times)"
        print(f'Marked "not for us"{times}; it is off the list: {item.question}')
        return 0

    return _database_run(settings, work)


def run_answer(args: argparse.Namespace) -> int:
    from bot.answers.review import answer, claim

    settings = load_cli_settings()
    if args.new_entry and not args.title:
        print("--new-entry needs --title (a short name of the topic).", file=sys.stderr)
        return EXIT_USAGE

    async def work(database: Database) -> int:
        now = _now()
        item = await claim(database, args.id, who=args.who, now=now)  # no one else meanwhile
        taught: TeachResult | None = None
        if args.teach_to or args.new_entry:
            try:
                taught = await _teach(settings, database, args, item.question, now)
            except UserError as error:
                raise UserError(
                    f"Not answered: {error.message} Question {item.id} stays claimed by "
                    f"{args.who}; fix the answer and run this again."
                ) from None
        done = await answer(
            database,
            item.id,
            who=args.who,
            text=args.text,
            now=now,
            taught_entry=taught.entry_id if taught else None,
        )
        times = "" if done.count == 1 else f" (asked {done.count} times)"
        print(f"Answered{times}: {done.question}")
        if taught is not None:
            print(f"Taught: {taught.summary}. Running bots load it within seconds.")
        return 0

    return _database_run(settings, work)


async def _teach(
    settings: Settings, database: Database, args: argparse.Namespace, wording: str, now: datetime
) -> TeachResult:
    import asyncio
    from functools import partial

    from bot.knowledge.saving import HISTORY_DIR
    from bot.knowledge.teach import draft_entry, draft_question, record_teach, teach

    path = settings.knowledge_file
    make: partial[Draft]
    if args.teach_to:
        make = partial(draft_question, entry_id=args.teach_to, question=wording, path=str(path))
    else:
        make = partial(
            draft_entry,
            title=args.title,
            questions=[wording, *args.question],
            answer=args.text,
            path=str(path),
            entry_id=args.entry_id,
            links=[_link(value) for value in args.link],
            contact=args.contact,
            note=f"taught by {' '.join(args.who.split())} on {now:%Y-%m-%d}",
        )
    result = await asyncio.to_thread(
        teach,
        path,
        make,
        history_dir=settings.data_dir / HISTORY_DIR,
        max_bytes=settings.knowledge_max_bytes,
    )
    await record_teach(database, result, who=args.who, at=now)
    return result


def _link(value: str) -> tuple[str, str]:
    title, separator, url = value.partition("=")
    if not separator:
        return ("More information", value.strip())
    return (title.strip(), url.strip())


def _now() -> datetime:
    return datetime.now(UTC)
