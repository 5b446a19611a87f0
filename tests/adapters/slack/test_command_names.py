"""SLACK_COMMAND_NAMES: a workspace that already has another app's /kudos renames ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.settings import SlackSettings
from bot.clock import FixedClock
from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from tests.adapters.slack.conftest import make_bot, serve
from tests.adapters.slack.support import slash_command_body
from tests.fakes.fake_slack import FakeSlack


async def test_a_renamed_command_is_served_and_named_in_replies(
    settings: Settings,
    slack_settings: SlackSettings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
    fake_slack: FakeSlack,
) -> None:
    renamed = slack_settings.model_copy(update={"slack_command_names": "kudos:props"})
    bot = await make_bot(
        settings=settings,
        slack_settings=renamed,
        database=sqlite_database,
        clock=clock,
        knowledge=frozen_knowledge,
    )
    assert "/props" in bot.handlers.slash_commands and "/kudos" not in bot.handlers.slash_commands
    async for endpoint in serve(bot):
        body = slash_command_body("/props", "help", response_url=fake_slack.response_url("p"))
        assert (await endpoint.command(body)).status == 200
        await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    [answer] = fake_slack.responses()
    assert "/props @someone for WHY" in answer.params["text"]
    assert "/kudos" not in answer.params["text"]


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        ("kudoz:props", "SLACK_COMMAND_NAMES: there is no command 'kudoz'"),
        ("kudos:ask", "SLACK_COMMAND_NAMES: /ask and /kudos would both be /ask"),
    ],
)
def test_bad_names_stop_the_bot_with_one_line(
    names: str, problem: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_COMMAND_NAMES", names)
    with pytest.raises(ConfigError) as refused:
        load_settings(SlackSettings)
    assert str(refused.value).startswith(problem)
    assert "\n" not in str(refused.value)
