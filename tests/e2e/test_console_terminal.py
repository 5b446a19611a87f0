"""``memberbot console`` in a real terminal (a pseudo-terminal): keys as a member presses them."""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE

pty = pytest.importorskip("pty")

ROOT = Path(__file__).resolve().parents[2]
PROMPT = b"you> "
UP, LEFT = b"\x1b[A", b"\x1b[D"
CTRL_C = b"\x03"


class Console:
    """A console process on a pseudo-terminal, and everything it printed so far."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd, self.output = pid, fd, b""

    def read_until(self, marker: bytes, *, count: int = 1, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.output.count(marker) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {marker!r} x{count} in {self.output!r}")
            if select.select([self.fd], [], [], remaining)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the process ended
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"ended before {marker!r}: {self.output!r}")
                self.output += chunk

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait_exit(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.02)
        raise AssertionError(f"still running after {timeout} s: {self.output!r}")


@contextmanager
def console(tmp_path: Path) -> Iterator[Console]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATA_DIR": str(tmp_path / "var"),
        "KNOWLEDGE_FILE": str(FROZEN_KNOWLEDGE_FILE),
        "TERM": "xterm",
        "PYTHONPATH": str(ROOT),
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: the console, on the pseudo-terminal
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "console", "--as", "ana"], env)
    chat = Console(pid, fd)
    try:
        chat.read_until(PROMPT)
        yield chat
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def test_ctrl_c_leaves_at_once_with_a_goodbye(tmp_path: Path) -> None:
    with console(tmp_path) as chat:
        chat.press(b"half a question")
        started = time.monotonic()
        chat.press(CTRL_C)
        assert chat.wait_exit(timeout=10) == 0
        chat.read_until(b"Bye!")
        assert time.monotonic() - started < 5  # no Enter needed
    assert b"Traceback" not in chat.output


def test_arrow_keys_edit_the_line_and_up_brings_back_the_last_one(tmp_path: Path) -> None:
    with console(tmp_path) as chat:
        # "/kudos tp" with the cursor moved back one letter to insert the "o"
        chat.press(b"/kudos tp" + LEFT + b"o\r")
        chat.read_until(b"Kudos leaderboard")
        chat.read_until(PROMPT, count=2)
        chat.press(UP + b"\r")  # the same command again, from the history
        chat.read_until(b"Kudos leaderboard", count=2)
        chat.read_until(PROMPT, count=3)
        chat.press(b"/quit\r")
        assert chat.wait_exit(timeout=10) == 0
    assert b"^[[" not in chat.output  # the keys moved the cursor, not typed text
    # kept for the next session (readline keeps one copy of a line repeated at once)
    history = (tmp_path / "var" / "console_history").read_text().splitlines()
    assert history[-2:] == ["/kudos top", "/quit"]
