"""Teaches at the same time as other teaches, hand edits and reloads: nothing lost, never invalid.

The full stress (1,000 teaches) is ``python -m bench.teach``; the suite runs a small one.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from bench.teach import run_stress
from bot.knowledge.loader import check_knowledge_text
from bot.knowledge.teach import Draft, TeachRefused, draft_question, teach
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_bytes(FROZEN_KNOWLEDGE_FILE.read_bytes())
    return path


def _questions(path: Path, entry_id: str) -> list[str]:
    report = check_knowledge_text(path.read_text(encoding="utf-8"))
    assert report.errors == [] and report.knowledge is not None
    entry = report.knowledge.entry(entry_id)
    assert entry is not None
    return entry.questions


def test_a_teach_saved_meanwhile_is_kept_and_this_one_made_again_on_it(
    knowledge_file: Path,
) -> None:
    calls = []

    def make(text: str) -> Draft:
        calls.append(text)
        if len(calls) == 1:  # another teach lands between this one's read and its save
            teach(
                knowledge_file,
                partial(draft_question, entry_id="social-media", question="First?", path="k"),
                history_dir=None,
            )
        return draft_question(text, "social-media", "Second?", path="k")

    teach(knowledge_file, make, history_dir=None)
    assert len(calls) == 2 and "First?" in calls[1]  # made again on the new version
    assert _questions(knowledge_file, "social-media")[-2:] == ["First?", "Second?"]


def test_a_hand_edit_saved_meanwhile_refuses_the_teach(knowledge_file: Path) -> None:
    def make(text: str) -> Draft:
        hand = text.replace("name: ALSC\n", "name: ALSC  # by hand\n", 1)
        knowledge_file.write_text(hand, encoding="utf-8")  # staff save in their editor
        return draft_question(text, "social-media", "Who runs the Instagram account?", path="k")

    with pytest.raises(TeachRefused, match="changed by someone else"):
        teach(knowledge_file, make, history_dir=None)
    text = knowledge_file.read_text(encoding="utf-8")
    assert "# by hand" in text and "Instagram account?" not in text


def test_concurrent_teaches_hand_edits_and_reloads_lose_nothing(tmp_path: Path) -> None:
    report = run_stress(tmp_path, teaches=40, processes=2, source=FROZEN_KNOWLEDGE_FILE)
    assert report.problems == []
    saved = [outcome for outcome in report.teaches if outcome.saved]
    refused = [outcome for outcome in report.teaches if not outcome.saved]
    assert len(saved) + len(refused) == 40
    assert all("changed by someone else" in outcome.reason for outcome in refused)
    assert report.reloads > 0 and report.checks > 0
    assert report.reload_errors == [] and report.check_errors == []
    final = (tmp_path / "knowledge.yaml").read_text(encoding="utf-8")
    assert all(outcome.question in final for outcome in saved)
    assert all(marker in final for marker in report.hand_edits_saved)
