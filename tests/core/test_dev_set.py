"""Scores ../shared/qa/dev.yaml through the same code path as `memberbot ask`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.cli.ask import ask
from bot.core import BotCore

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "qa" / "dev.yaml"
REQUIRED_ACCURACY = 0.90


def _correct(item: dict, answered: bool, text: str) -> bool:
    if item.get("expect_abstain"):
        return not answered and bool(re.search(r"@|contact|reach|ask", text, re.I))
    return answered and all(re.search(p, text, re.I) for p in item.get("expect", []))


@pytest.mark.skipif(not DEV_SET.exists(), reason=f"dev set not found at {DEV_SET}")
async def test_dev_set_accuracy(core: BotCore) -> None:
    items = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    failures = []
    for item in items:
        today = date.fromisoformat(str(item["today"])) if item.get("today") else None
        result = await ask(core, item["q"], today=today)
        if not _correct(item, result.answered, result.answer):
            failures.append(f"{item['q']!r} -> {result.answer[:120]!r}")
    accuracy = 1 - len(failures) / len(items)
    assert accuracy >= REQUIRED_ACCURACY, "\n".join(failures)
    abstain_items = [i for i in items if i.get("expect_abstain")]
    assert not [f for f in failures if any(i["q"] in f for i in abstain_items)], failures
