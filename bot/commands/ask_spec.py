"""``/ask``, ``/ask-staff`` and ``/unanswered`` declared: members' questions, the 👍/👎
under answers, and the staff loop that answers what the bot could not.
"""

from __future__ import annotations

from bot.commands import ask, feedback, staff_answers
from bot.commands.spec import ArgKind, CommandSpec, Option, SubCommand
from bot.replies import CommandSpan

#: The stored answer a 👍/👎 button rates (its id only; the rest is read back).
_ASKED = Option("asked", ArgKind.NUMBER, "The answer's number", min_value=1)

ASK = CommandSpec(
    name="ask",
    summary="Ask about committees, mentoring, awards, membership and deadlines.",
    usage=CommandSpan("ask", "QUESTION"),
    examples=(
        CommandSpan("ask", "When do mentoring applications close?"),
        CommandSpan("ask", "What is Día?"),
    ),
    usage_hint="When do mentoring applications close?",
    options=(
        Option(
            "question",
            ArgKind.TEXT,
            "Your question, e.g. When do mentoring applications close?",
            min_value=1,
            max_value=1500,
        ),
    ),
    handler=ask.handle_ask,
    needs_database=False,
    actions=(
        SubCommand(
            "forward",
            "Pass a question the bot could not answer on to staff (Ask someone).",
            ask.forward,
            options=(
                Option("question", ArgKind.NUMBER, "The stored question's number", min_value=1),
            ),
        ),
        SubCommand("helpful", "👍 under an answer.", feedback.helpful, options=(_ASKED,)),
        SubCommand("unhelpful", "👎 under an answer.", feedback.unhelpful, options=(_ASKED,)),
        SubCommand(
            "wrong",
            "The 👎 form: what was wrong.",
            feedback.wrong,
            options=(
                _ASKED,
                Option(
                    "comment",
                    ArgKind.TEXT,
                    "What was wrong",
                    required=False,
                    max_value=feedback.COMMENT_LIMIT,
                ),
            ),
        ),
    ),
)

ASK_STAFF = CommandSpec(
    name="ask-staff",
    summary="Ask the staff directly; their answer comes to you as a direct message.",
    usage=CommandSpan("ask-staff", "QUESTION"),
    examples=(CommandSpan("ask-staff", "Can I pay my dues in two parts?"),),
    description="Ask the staff; their answer comes as a direct message",
    usage_hint="Can I pay my dues in two parts?",
    options=(
        Option(
            "question",
            ArgKind.TEXT,
            "Your question for the staff",
            min_value=1,
            max_value=1000,
        ),
    ),
    handler=staff_answers.ask_staff,
)

_QUESTION_ID = Option(
    "id",
    ArgKind.NUMBER,
    "The question's number, as /unanswered shows it",
    min_value=1,
    read_text=staff_answers.read_question_id,
)

UNANSWERED = CommandSpec(
    name="unanswered",
    summary="Staff: questions waiting for an answer; answer, assign or set them aside.",
    usage=CommandSpan("unanswered"),
    examples=(CommandSpan("unanswered", "answer 12", action="answer"),),
    description="Staff: questions waiting for an answer",
    usage_hint="[answer|dismiss|assign NUMBER]",
    staff_only=True,
    handler=staff_answers.show_list,
    actions=(
        SubCommand(
            "reply",
            "Staff: the Answer form submitted.",
            staff_answers.reply,
            options=(
                _QUESTION_ID,
                Option("text", ArgKind.TEXT, "The answer", min_value=1, max_value=4000),
                Option("link", ArgKind.TEXT, "A link", required=False, max_value=500),
                Option("teach", ArgKind.TEXT, "Add to the knowledge", required=False, max_value=80),
                Option("title", ArgKind.TEXT, "New entry's title", required=False, max_value=120),
                Option(
                    "questions",
                    ArgKind.TEXT,
                    "New entry's wordings",
                    required=False,
                    max_value=2000,
                ),
            ),
        ),
        SubCommand(
            "assign-to",
            "Staff: the Assign form submitted.",
            staff_answers.assign_to,
            options=(_QUESTION_ID, Option("who", ArgKind.MEMBER, "Who should answer it")),
        ),
    ),
    subcommands=(
        SubCommand(
            "list", "Staff: the questions waiting, most asked first.", staff_answers.show_list
        ),
        SubCommand(
            "answer",
            "Staff: take a question and answer the member (opens a form).",
            staff_answers.answer,
            options=(_QUESTION_ID,),
        ),
        SubCommand(
            "dismiss",
            "Staff: not for us; the question leaves the list.",
            staff_answers.dismiss,
            options=(_QUESTION_ID,),
        ),
        SubCommand(
            "assign",
            "Staff: hand a question to a colleague.",
            staff_answers.assign,
            options=(_QUESTION_ID,),
        ),
    ),
)
