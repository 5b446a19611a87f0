"""The Slack adapter under the runner, end to end: start-up checks, the HTTP and Socket
Mode paths, and SIGTERM.

Each test runs the real runner with the real adapter against the fake Slack and
stops it the way a process manager does, with a real SIGTERM to this process (the
runner handles it on the event loop while it runs).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import pytest

from adapters.slack import serve as serve_module
from adapters.slack.serve import SHUTDOWN_GRACE_SECONDS, ReadyCallback, SlackAdapter
from adapters.slack.settings import SlackSettings
from bot.cli import main as cli_main
from bot.config import Settings
from bot.core import BotCore
from bot.outbound import ChannelTarget
from bot.replies import text_message
from bot.runner import Runner, ServiceFactory, background_services
from tests.adapters.slack.support import signed_headers, slash_command_body
from tests.fakes.fake_slack import RESPONSE_URL, FakeSlack
from tests.fakes.fake_slack_socket import (
    SocketModeServer,
    silent_server,
    socket_mode_server,
)

FORM = "application/x-www-form-urlencoded"
#: Generous bound on anything that should happen promptly; only reached on a hang.
PATIENCE = 30.0


def serve(
    core_settings: Settings,
    slack_settings: SlackSettings,
    *,
    on_ready: ReadyCallback | None = None,
    shutdown_grace: float = SHUTDOWN_GRACE_SECONDS,
    services: ServiceFactory = background_services,
) -> Coroutine[Any, Any, int]:
    """What ``memberbot run slack`` runs, with these settings; returns the exit code."""
    adapter = SlackAdapter(slack_settings, on_ready=on_ready, shutdown_grace=shutdown_grace)
    return Runner(settings=core_settings, adapter=adapter, services=services).run()


@dataclass
class Serving:
    """``serve()`` running in a task, and what it reported as ready."""

    task: asyncio.Task[int]
    ready: list[str] = field(default_factory=list)
    ready_event: asyncio.Event = field(default_factory=asyncio.Event)

    async def address(self) -> str:
        """Wait until the bot takes requests; fails if serve() stops first."""
        waiter = asyncio.ensure_future(self.ready_event.wait())
        await asyncio.wait(
            {self.task, waiter}, timeout=PATIENCE, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        assert self.ready, f"serve() did not become ready: {self.task}"
        return self.ready[0]

    def sigterm(self) -> None:
        # The runner must have replaced the default action, or this would end pytest.
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        os.kill(os.getpid(), signal.SIGTERM)

    async def exit_code(self) -> int:
        return await asyncio.wait_for(self.task, PATIENCE)


def start(core_settings: Settings, slack_settings: SlackSettings, **options: object) -> Serving:
    serving = Serving(task=None)  # type: ignore[arg-type]

    def on_ready(address: str) -> None:
        serving.ready.append(address)
        serving.ready_event.set()

    serving.task = asyncio.create_task(
        serve(core_settings, slack_settings, on_ready=on_ready, **options)  # type: ignore[arg-type]
    )
    return serving


@pytest.fixture
def http_settings(slack_settings: SlackSettings) -> SlackSettings:
    return slack_settings.model_copy(update={"port": 0})


@pytest.fixture
async def socket_server(fake_slack: FakeSlack) -> AsyncIterator[SocketModeServer]:
    async with socket_mode_server() as server:
        fake_slack.socket_mode_url = server.url
        yield server


@pytest.fixture
def socket_settings(slack_settings: SlackSettings) -> SlackSettings:
    return slack_settings.model_copy(
        update={"slack_app_token": "xapp-1-test", "port": _free_port()}
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _post_command(url: str, body: str) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body.encode(), headers=signed_headers(body, content_type=FORM)) as r,
    ):
        return r.status


async def _is_listening(url: str) -> bool:
    try:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status == 200
    except aiohttp.ClientConnectionError:
        return False


def _health_url(events_url: str) -> str:
    return events_url.replace("/slack/events", "/healthz")


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# ----------------------------------------------------------------------- HTTP


async def test_http_path_checks_the_token_once_and_acks_without_asking_slack(
    settings: Settings,
    http_settings: SlackSettings,
    fake_slack: FakeSlack,
    socket_server: SocketModeServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", http_settings.slack_bot_token)  # as in production
    caplog.set_level("WARNING")
    serving = start(settings, http_settings)
    url = await serving.address()
    assert url.startswith("http://127.0.0.1:") and url.endswith("/slack/events")
    assert [c.method for c in fake_slack.calls()] == ["auth.test"]
    # Were auth.test still needed per request, this command's ack would wait on it.
    with fake_slack.hold("auth.test"):
        body = slash_command_body("/bothelp", "", response_url=fake_slack.response_url("h"))
        assert await asyncio.wait_for(_post_command(url, body), PATIENCE) == 200
        await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    assert fake_slack.arrivals("auth.test") == 1
    assert "Here is what I can do" in fake_slack.responses()[0].params["text"]
    # The HTTP path never opens Socket Mode.
    assert fake_slack.calls("apps.connections.open") == []
    assert socket_server.connections == 0
    serving.sigterm()
    assert await serving.exit_code() == 0
    assert not await _is_listening(_health_url(url))
    noise = [r.getMessage() for r in caplog.records if "`token`" in r.getMessage()]
    assert noise == []


async def test_rejected_bot_token_stops_http_mode_with_one_line(
    settings: Settings,
    http_settings: SlackSettings,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_slack.valid_tokens = frozenset({"xoxb-the-installed-token"})
    ready: list[str] = []
    code = await asyncio.wait_for(serve(settings, http_settings, on_ready=ready.append), PATIENCE)
    assert code == 2
    assert ready == []
    line = _one_line(capsys.readouterr().err)
    assert "SLACK_BOT_TOKEN" in line and "invalid_auth" in line
    assert [c.method for c in fake_slack.calls()] == ["auth.test"]


async def test_a_proxy_error_that_is_not_json_at_start_is_one_line_and_exit_3(
    settings: Settings,
    http_settings: SlackSettings,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_slack.non_json_next("auth.test", times=10, status=503)
    code = await asyncio.wait_for(serve(settings, http_settings), PATIENCE)
    assert code == 3
    line = _one_line(capsys.readouterr().err)
    assert "auth.test" in line and "http_503" in line
    assert "Traceback" not in line


async def test_unreachable_slack_stops_with_exit_3(
    settings: Settings,
    http_settings: SlackSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    nowhere = http_settings.model_copy(
        update={"slack_api_url": f"http://127.0.0.1:{_free_port()}/api/"}
    )
    code = await asyncio.wait_for(serve(settings, nowhere), PATIENCE)
    assert code == 3
    assert "Slack is unreachable" in _one_line(capsys.readouterr().err)


async def test_sigterm_while_slack_has_not_answered_the_token_check_stops_cleanly(
    settings: Settings, http_settings: SlackSettings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    # The signal handlers used to be installed only after the tokens were checked: a
    # SIGTERM while auth.test hung took the default action and killed the process.
    with fake_slack.hold("auth.test"):
        serving = start(settings, http_settings)
        await fake_slack.wait_for(lambda fake: fake.arrivals("auth.test") == 1)
        serving.sigterm()
        assert await serving.exit_code() == 0
    assert serving.ready == []
    assert not (tmp_path / "memberbot.sqlite3").exists()  # nothing else was started


async def test_sigterm_finishes_acknowledged_work_before_stopping(
    settings: Settings,
    http_settings: SlackSettings,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO", logger="adapters.slack.work")
    serving = start(settings, http_settings)
    url = await serving.address()
    answered_when_stopped: list[int] = []
    serving.task.add_done_callback(
        lambda _: answered_when_stopped.append(len(fake_slack.responses()))
    )
    with fake_slack.hold(RESPONSE_URL) as slow_answer:
        body = slash_command_body("/bothelp", "", response_url=fake_slack.response_url("drain"))
        assert await _post_command(url, body) == 200
        await fake_slack.wait_for(lambda fake: fake.arrivals(RESPONSE_URL) == 1)
        serving.sigterm()
        # Shutdown has begun and waits for the acknowledged command.
        await fake_slack.wait_for(
            lambda _: any("finishing acknowledged" in r.getMessage() for r in caplog.records)
        )
        assert not await _is_listening(_health_url(url))
        assert not serving.task.done()
        slow_answer.release()
        assert await serving.exit_code() == 0
    assert answered_when_stopped == [1]
    assert fake_slack.responses()[0].path == "/response/drain"


async def test_work_still_running_after_the_grace_period_is_named_and_abandoned(
    settings: Settings,
    http_settings: SlackSettings,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    serving = start(settings, http_settings, shutdown_grace=0.2)
    url = await serving.address()
    with fake_slack.hold(RESPONSE_URL):
        body = slash_command_body("/bothelp", "", response_url=fake_slack.response_url("lost"))
        assert await _post_command(url, body) == 200
        await fake_slack.wait_for(lambda fake: fake.arrivals(RESPONSE_URL) == 1)
        with caplog.at_level("ERROR", logger="adapters.slack.work"):
            serving.sigterm()
            assert await serving.exit_code() == 0
    [abandoned] = [r for r in caplog.records if "abandoned" in r.getMessage()]
    assert abandoned.slack_command == "/bothelp"  # type: ignore[attr-defined]
    assert abandoned.slack_user == "U1"  # type: ignore[attr-defined]


# ---------------------------------------------------------------- Socket Mode


async def test_socket_mode_path_connects_and_answers(
    settings: Settings,
    socket_settings: SlackSettings,
    fake_slack: FakeSlack,
    socket_server: SocketModeServer,
) -> None:
    serving = start(settings, socket_settings)
    assert await serving.address() == "socket-mode"
    assert socket_server.connections == 1
    # Each token checked once; the checked connection URL is the one used.
    assert [c.method for c in fake_slack.calls()] == ["auth.test", "apps.connections.open"]
    [opened] = fake_slack.calls("apps.connections.open")
    assert opened.headers["Authorization"] == "Bearer xapp-1-test"
    # Socket Mode serves no HTTP endpoint.
    assert not await _is_listening(f"http://127.0.0.1:{socket_settings.port}/healthz")
    payload = dict(
        parse_qsl(slash_command_body("/bothelp", "", response_url=fake_slack.response_url("sm")))
    )
    await socket_server.send({"envelope_id": "env-1", "type": "slash_commands", "payload": payload})
    ack = await asyncio.wait_for(socket_server.acks.get(), PATIENCE)
    assert ack["envelope_id"] == "env-1"
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    serving.sigterm()
    assert await serving.exit_code() == 0


async def test_rejected_app_token_stops_socket_mode_with_one_line(
    settings: Settings,
    socket_settings: SlackSettings,
    fake_slack: FakeSlack,
    socket_server: SocketModeServer,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_slack.valid_tokens = frozenset({socket_settings.slack_bot_token})  # bot token is fine
    code = await asyncio.wait_for(serve(settings, socket_settings), PATIENCE)
    assert code == 2
    line = _one_line(capsys.readouterr().err)
    assert "SLACK_APP_TOKEN" in line and "invalid_auth" in line
    assert socket_server.connections == 0
    assert [r for r in caplog.records if r.exc_info] == []  # no tracebacks


async def test_sigterm_stops_socket_mode_while_it_is_still_connecting(
    settings: Settings, socket_settings: SlackSettings, fake_slack: FakeSlack
) -> None:
    async with silent_server() as silent:
        fake_slack.socket_mode_url = silent.url
        serving = start(settings, socket_settings)
        await asyncio.wait_for(silent.connected.wait(), PATIENCE)
        serving.sigterm()
        assert await serving.exit_code() == 0
    assert serving.ready == []


async def test_socket_mode_that_never_connects_gives_up_with_one_line(
    settings: Settings,
    socket_settings: SlackSettings,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(serve_module, "SOCKET_CONNECT_TIMEOUT_SECONDS", 0.5)
    async with silent_server() as silent:
        fake_slack.socket_mode_url = silent.url
        code = await asyncio.wait_for(serve(settings, socket_settings), PATIENCE)
    assert code == 3
    assert "Socket Mode connection did not open" in _one_line(capsys.readouterr().err)


# ------------------------------------------------------- settings and the port


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("BROADCAST_CONCURRENCY", "abc", "BROADCAST_CONCURRENCY: 'abc' is not 'auto'"),
        (
            "SLACK_APP_TOKEN",
            "xoxb-wrong-kind",
            "SLACK_APP_TOKEN: must be an app-level token",
        ),
    ],
)
def test_a_bad_setting_stops_run_slack_before_slack_is_asked_anything(
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    variable: str,
    value: str,
    named: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name, setting in {
        "DATA_DIR": str(tmp_path),
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": fake_slack.api_url,
        variable: value,
    }.items():
        monkeypatch.setenv(name, setting)
    assert cli_main(["run", "slack"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("configuration error: ") and named in line
    assert fake_slack.calls() == []  # every setting is read before the adapter starts
    assert not (tmp_path / "memberbot.sqlite3").exists()  # nor the database


async def test_a_port_in_use_is_one_line_and_exit_2_after_a_clean_stop(
    settings: Settings,
    slack_settings: SlackSettings,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = slack_settings.model_copy(update={"port": port})
        code = await asyncio.wait_for(serve(settings, busy), PATIENCE)
    assert code == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"configuration error: cannot listen on PORT {port} (")


class PostsWhenStopped:
    """A background service that, like a dispatcher, finishes a send while it stops."""

    name = "posts when stopped"

    def __init__(self, core: BotCore) -> None:
        self.core = core

    async def run(self) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            assert self.core.outbound is not None
            await self.core.outbound.post(
                target=ChannelTarget(channel_id="CGENERAL"),
                message=text_message("in flight when the bot stopped"),
            )
            raise


async def test_sigterm_lets_background_services_finish_their_sends_before_closing(
    settings: Settings, http_settings: SlackSettings, fake_slack: FakeSlack
) -> None:
    serving = start(settings, http_settings, services=lambda core: [PostsWhenStopped(core)])
    await serving.address()
    serving.sigterm()
    assert await serving.exit_code() == 0
    [post] = fake_slack.calls("chat.postMessage")
    assert post.params["channel"] == "CGENERAL"
    assert "in flight when the bot stopped" in post.params["text"]
