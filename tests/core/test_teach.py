"""Teaching the bot: the knowledge file gains only the added lines, checked, saved safely."""

from __future__ import annotations

import datetime as dt
import difflib
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.knowledge import saving
from bot.knowledge.loader import check_knowledge_text
from bot.knowledge.saving import HISTORY_DIR, writer_lock
from bot.knowledge.teach import (
    AUDIT_ADD_ENTRY,
    AUDIT_ADD_QUESTION,
    TeachRefused,
    draft_entry,
    draft_question,
    save_draft,
    teach,
    teach_and_reload,
)
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from bot.storage.models import AuditLog
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE, SHIPPED_KNOWLEDGE_FILE

TODAY = dt.date(2021, 10, 1)
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_bytes(FROZEN_KNOWLEDGE_FILE.read_bytes())
    return path


def _changes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """Every place that differs: (kind, old lines, new lines)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return [
        (tag, old_lines[i1:i2], new_lines[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _question(entry_id: str, question: str, path: Path) -> partial:
    return partial(draft_question, entry_id=entry_id, question=question, path=str(path))


def test_adding_a_question_adds_exactly_one_line(knowledge_file: Path, tmp_path: Path) -> None:
    old = knowledge_file.read_text(encoding="utf-8")
    result = teach(
        knowledge_file,
        _question("social-media", "Who runs the Instagram account?", knowledge_file),
        history_dir=tmp_path / HISTORY_DIR,
    )
    new = knowledge_file.read_text(encoding="utf-8")
    assert _changes(old, new) == [("insert", [], ["      - Who runs the Instagram account?"])]
    # it lands at the end of that entry's questions, not anywhere else
    lines = new.splitlines()
    at = lines.index("      - Who runs the Instagram account?")
    entry_start = max(i for i in range(at) if lines[i].startswith("  - id: "))
    assert lines[entry_start] == "  - id: social-media"
    assert lines[at + 1].lstrip().startswith(("keywords:", "answer:", "tags:", "contact:"))
    assert result.entry_id == "social-media"
    assert result.previous_copy is not None
    assert result.previous_copy.read_text(encoding="utf-8") == old
    assert check_knowledge_text(new).errors == []


def test_a_new_entry_adds_only_its_own_lines(knowledge_file: Path) -> None:
    old = knowledge_file.read_text(encoding="utf-8")
    make = partial(
        draft_entry,
        title="Parking at the conference",
        questions=["Where can I park at the conference?", "Is there parking at the venue?"],
        answer="Park in **lot B** behind the hall.\n\nSee [the map](https://example.org/map).",
        links=[("Venue", "https://example.org/venue")],
        contact="elly",
        note="taught by Dana Smith on 2026-12-06",
        path=str(knowledge_file),
    )
    result = teach(knowledge_file, make, history_dir=None)
    new = knowledge_file.read_text(encoding="utf-8")
    [(kind, removed, added)] = _changes(old, new)
    assert (kind, removed) == ("insert", [])
    assert added == [
        "  - id: parking-at-the-conference",
        "    # taught by Dana Smith on 2026-12-06",
        "    title: Parking at the conference",
        "    questions:",
        "      - Where can I park at the conference?",
        "      - Is there parking at the venue?",
        "    answer: |",
        "      Park in **lot B** behind the hall.",
        "",
        "      See [the map](https://example.org/map).",
        "    links:",
        "      - {title: Venue, url: https://example.org/venue}",
        "    contact: elly",
        "",
    ]
    # after the last entry, before the deadlines (whose section keeps its blank line)
    assert new.index("id: parking-at-the-conference") < new.index("\ndeadlines:")
    assert "\n    contact: elly\n\ndeadlines:\n" in new
    assert result.entry_id == "parking-at-the-conference"
    report = check_knowledge_text(new)
    assert report.errors == [] and report.knowledge is not None
    assert report.knowledge.entry("parking-at-the-conference") is not None


def test_a_heading_comment_stays_with_the_section_it_heads(knowledge_file: Path) -> None:
    text = knowledge_file.read_text(encoding="utf-8")
    text = text.replace("\ndeadlines:\n", "\n# ------------------- deadlines\ndeadlines:\n", 1)
    knowledge_file.write_text(text, encoding="utf-8")
    make = partial(
        draft_entry,
        title="Parking",
        questions=["Where can I park?"],
        answer="In lot B.",
        path=str(knowledge_file),
    )
    teach(knowledge_file, make, history_dir=None)
    new = knowledge_file.read_text(encoding="utf-8")
    assert _changes(text, new)[0][0] == "insert"
    assert "    answer: |\n      In lot B.\n\n# ------------------- deadlines\ndeadlines:\n" in new


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"contact": "nobody"}, "contact 'nobody' is not a contact id"),
        ({"answer": "Park in **lot B"}, "unclosed **"),
        ({"links": [("Venue", "not a link")]}, "url"),
        ({"entry_id": "mentoring-length"}, "already exists"),
        ({"entry_id": "Bad Id!"}, "id"),
        ({"questions": ["   "]}, "question is empty"),
    ],
)
def test_an_invalid_result_is_refused_and_nothing_is_written(
    knowledge_file: Path, tmp_path: Path, changes: dict, reason: str
) -> None:
    before = knowledge_file.read_bytes()
    arguments = {
        "title": "Parking",
        "questions": ["Where can I park?"],
        "answer": "In lot B.",
        "path": str(knowledge_file),
    } | changes
    with pytest.raises(TeachRefused) as refused:
        teach(knowledge_file, partial(draft_entry, **arguments), history_dir=tmp_path / "h")
    assert reason in str(refused.value)
    assert knowledge_file.read_bytes() == before
    assert not (tmp_path / "h").exists()  # no copy: nothing was replaced


def test_a_question_already_listed_or_an_unknown_entry_is_refused(knowledge_file: Path) -> None:
    before = knowledge_file.read_bytes()
    with pytest.raises(TeachRefused, match="already lists"):
        teach(
            knowledge_file,
            _question(
                "mentoring-length", "how long does the MENTORING program last", knowledge_file
            ),
            history_dir=None,
        )
    with pytest.raises(TeachRefused, match="no entry 'no-such-entry'"):
        teach(knowledge_file, _question("no-such-entry", "Why?", knowledge_file), history_dir=None)
    assert knowledge_file.read_bytes() == before


def test_a_file_that_is_already_broken_is_not_touched(knowledge_file: Path) -> None:
    broken = knowledge_file.read_text(encoding="utf-8").replace("default_contact: elly", "x: 1")
    knowledge_file.write_text(broken, encoding="utf-8")
    with pytest.raises(TeachRefused, match="has a problem already"):
        teach(
            knowledge_file,
            _question("social-media", "Instagram?", knowledge_file),
            history_dir=None,
        )
    assert knowledge_file.read_text(encoding="utf-8") == broken


def test_a_hand_edit_saved_meanwhile_is_kept_and_the_teach_refused(knowledge_file: Path) -> None:
    text = knowledge_file.read_text(encoding="utf-8")
    draft = draft_question(text, "social-media", "Who runs the Instagram account?", path="k")
    hand_edited = text.replace("name: ALSC\n", "name: ALSC  # edited by hand\n", 1)
    knowledge_file.write_text(hand_edited, encoding="utf-8")  # staff save in their editor
    with writer_lock(knowledge_file), pytest.raises(TeachRefused, match="changed by someone else"):
        save_draft(knowledge_file, draft, history_dir=None)
    assert knowledge_file.read_text(encoding="utf-8") == hand_edited
    # trying again makes the change on the hand-edited version: both are kept
    teach(
        knowledge_file,
        _question("social-media", "Who runs the Instagram account?", knowledge_file),
        history_dir=None,
    )
    new = knowledge_file.read_text(encoding="utf-8")
    assert "# edited by hand" in new and "Who runs the Instagram account?" in new
    assert not list(knowledge_file.parent.glob(".knowledge.yaml.*.new"))  # no temporary left


def test_only_the_newest_copies_are_kept(
    knowledge_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saving, "HISTORY_KEPT", 3)
    history = tmp_path / HISTORY_DIR
    versions = []
    for number in range(5):
        versions.append(knowledge_file.read_text(encoding="utf-8"))
        teach(
            knowledge_file,
            _question("social-media", f"Who posts on channel number {number}?", knowledge_file),
            history_dir=history,
        )
    kept = sorted(history.glob("knowledge-*.yaml"))
    assert [path.read_text(encoding="utf-8") for path in kept] == versions[-3:]


async def test_taught_questions_are_answered_at_once_and_audit_logged(
    knowledge_file: Path, tmp_path: Path, sqlite_database: Database
) -> None:
    store = KnowledgeStore(path=knowledge_file, settle_seconds=3600)  # no waiting to settle
    assert not store.engine.answer("Who runs the Instagram account?", today=TODAY).answered
    assert not store.engine.answer("Where can I park at the conference?", today=TODAY).answered

    await teach_and_reload(
        _question("social-media", "Who runs the Instagram account?", knowledge_file),
        who="Dana Smith (slack:T1:U9)",
        store=store,
        database=sqlite_database,
        data_dir=tmp_path,
        now=NOW,
    )
    await teach_and_reload(
        partial(
            draft_entry,
            title="Parking at the conference",
            questions=["Where can I park at the conference?"],
            answer="Park in **lot B** behind the conference hall.",
            path=str(knowledge_file),
        ),
        who="Dana Smith (slack:T1:U9)",
        store=store,
        database=sqlite_database,
        data_dir=tmp_path,
        now=NOW,
    )
    for question, entry in [
        ("Who runs the Instagram account?", "social-media"),
        ("who runs the instagram account", "social-media"),
        ("Where can I park at the conference?", "parking-at-the-conference"),
        ("where do I park at the conference", "parking-at-the-conference"),
        ("conference parking?", "parking-at-the-conference"),
    ]:
        answer = store.engine.answer(question, today=TODAY)
        assert answer.answered, question
        assert entry in answer.sources, question
    assert "lot B" in store.engine.answer("conference parking?", today=TODAY).text

    async with sqlite_database.session() as session:
        rows = (await session.scalars(select(AuditLog).order_by(AuditLog.id))).all()
    assert [(row.action, row.actor) for row in rows] == [
        (AUDIT_ADD_QUESTION, "Dana Smith (slack:T1:U9)"),
        (AUDIT_ADD_ENTRY, "Dana Smith (slack:T1:U9)"),
    ]
    assert "Who runs the Instagram account?" in rows[0].text
    assert rows[0].at == NOW
    assert len(list((tmp_path / HISTORY_DIR).glob("knowledge-*.yaml"))) == 2


async def test_a_running_bot_loads_a_teach_from_another_process_without_settling(
    knowledge_file: Path,
) -> None:
    store = KnowledgeStore(path=knowledge_file, settle_seconds=3600)
    question = "Who runs the Instagram account?"
    teach(knowledge_file, _question("social-media", question, knowledge_file), history_dir=None)
    assert await store.reload_if_changed() is None  # the first check after the save
    assert store.engine.answer(question, today=TODAY).answered

    # a hand save is not memberbot's: it still waits to settle
    text = knowledge_file.read_text(encoding="utf-8")
    knowledge_file.write_text(text.replace("name: ALSC\n", "name: ALSC Staff\n", 1), "utf-8")
    await store.reload_if_changed()
    assert store.knowledge.organisation.name == "ALSC"


@pytest.mark.parametrize("source", [FROZEN_KNOWLEDGE_FILE, SHIPPED_KNOWLEDGE_FILE])
def test_every_entry_takes_a_question_and_a_new_entry_as_added_lines_only(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    with_entry = draft_entry(
        text, title="Parking", questions=["Where can I park?"], answer="Lot B.", path="k"
    ).new_text
    [(kind, removed, _added)] = _changes(text, with_entry)
    assert (kind, removed) == ("insert", [])
    report = check_knowledge_text(text)
    assert report.knowledge is not None
    for entry in report.knowledge.entries:
        draft = draft_question(text, entry.id, "Is it free: yes or #no?", path="k")
        [(kind, removed, added)] = _changes(text, draft.new_text)
        assert (kind, removed) == ("insert", []), entry.id
        assert added[0].strip() == "- 'Is it free: yes or #no?'", entry.id


def test_a_file_indented_its_own_way_keeps_its_indentation(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.yaml"
    text = (
        "organisation: {name: ALSC, timezone: America/Chicago, default_contact: elly}\n"
        "contacts:\n"
        "- id: elly   # the membership specialist\n"
        "  name: Elly\n"
        "entries:\n"
        "- id: dues\n"
        "  title: Dues\n"
        "  questions:\n"
        "  - How much are dues?   # the most asked\n"
        '  - "What do members pay?"\n'
        "  answer: >\n"
        "    Dues are **$50** a year.\n"
        "# end of the file\n"
    )
    path.write_text(text, encoding="utf-8")
    teach(path, _question("dues", "What does a membership cost?", path), history_dir=None)
    make = partial(
        draft_entry, title="Refunds", questions=["Can I get a refund?"], answer="No.", path="k"
    )
    teach(path, make, history_dir=None)
    new = path.read_text(encoding="utf-8")
    assert new == text.replace(
        '  - "What do members pay?"\n',
        '  - "What do members pay?"\n  - What does a membership cost?\n',
    ).replace(
        "# end of the file\n",
        "\n- id: refunds\n  title: Refunds\n  questions:\n    - Can I get a refund?\n"
        "  answer: |\n    No.\n\n# end of the file\n",
    )


def test_a_lock_file_that_cannot_be_made_refuses_in_words(knowledge_file: Path) -> None:
    (knowledge_file.parent / ".knowledge.yaml.lock").mkdir()  # as unusable as a read-only dir
    before = knowledge_file.read_bytes()
    with pytest.raises(TeachRefused, match="Cannot write beside the knowledge file"):
        teach(
            knowledge_file,
            _question("social-media", "Instagram?", knowledge_file),
            history_dir=None,
        )
    assert knowledge_file.read_bytes() == before
