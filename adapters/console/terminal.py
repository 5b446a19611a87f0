"""The console's terminal: line editing and history, and messages that arrive meanwhile.

In a real terminal the member types with GNU readline (arrow keys, Ctrl-A/E,
history with Up/Down, kept in a file between sessions); a message that arrives
while they type (a broadcast, a kudos from another console) is printed above
the prompt, and the prompt is drawn again with what they had typed so far.
With streams that are not a terminal (a pipe, the tests) lines are read as they
come and nothing is redrawn.

Lines are read in a daemon thread, so the event loop keeps running while the
member types, and leaving (Ctrl-C) never waits for a line to be finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from pathlib import Path
from types import ModuleType
from typing import TextIO

log = logging.getLogger(__name__)

PROMPT = "you> "
HISTORY_LENGTH = 500
# Carriage return, then erase the whole line: the prompt and what was typed on it.
_CLEAR_LINE = "\r\x1b[2K"


def load_readline(history_file: Path | None) -> ModuleType | None:
    """GNU readline with the history loaded, or ``None`` where it is not available."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works
        return None
    readline.set_history_length(HISTORY_LENGTH)
    if history_file is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history_file)
    return readline


class Terminal:
    """Writes replies, and messages that arrive while the member is typing."""

    def __init__(
        self, stdout: TextIO, *, interactive: bool, readline: ModuleType | None = None
    ) -> None:
        self.stdout = stdout
        self.interactive = interactive
        self.readline = readline
        #: The prompt is on screen and the member may be typing after it.
        self.prompting = False
        self._lock = threading.Lock()

    def write(self, text: str) -> None:
        """A reply, or anything printed between prompts."""
        with self._lock:
            self.stdout.write(text + "\n")
            self.stdout.flush()

    def announce(self, text: str) -> None:
        """A message that arrived by itself: above the prompt, which is drawn again."""
        with self._lock:
            if not (self.interactive and self.prompting):
                self.stdout.write(text + "\n")
            else:
                typed = self.readline.get_line_buffer() if self.readline else ""
                self.stdout.write(f"{_CLEAR_LINE}{text}\n{PROMPT}{typed}")
            self.stdout.flush()

    def prompt(self) -> None:
        """Show the prompt (without readline, which shows its own)."""
        with self._lock:
            self.prompting = True
            if self.interactive and self.readline is None:
                self.stdout.write(PROMPT)
                self.stdout.flush()


class LineReader:
    """Reads one line at a time when asked, in a daemon thread.

    ``read`` returns the line without its end, or ``None`` at end of input (Ctrl-D).
    """

    def __init__(
        self,
        stdin: TextIO,
        terminal: Terminal,
        *,
        history_file: Path | None = None,
    ) -> None:
        self._stdin = stdin
        self._terminal = terminal
        self._history_file = history_file
        self._wanted = threading.Semaphore(0)
        self._pending: asyncio.Future[str | None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ended = False

    async def read(self) -> str | None:
        if self._ended:
            # Input ended inside a form or a prompt: every later read ends too.
            return None
        if self._thread is None:
            self._loop = asyncio.get_running_loop()
            self._thread = threading.Thread(target=self._run, name="console-input", daemon=True)
            self._thread.start()
        assert self._loop is not None
        self._pending = self._loop.create_future()
        self._terminal.prompt()
        self._wanted.release()
        try:
            line = await self._pending
        finally:
            self._terminal.prompting = False
        self._ended = line is None
        return line

    def save_history(self) -> None:
        readline = self._terminal.readline
        if readline is None or self._history_file is None:
            return
        try:
            readline.write_history_file(self._history_file)
        except OSError as error:
            log.warning(
                "console history not saved: %s", error, extra={"path": str(self._history_file)}
            )

    def _run(self) -> None:
        while True:
            self._wanted.acquire()
            line = self._read_one()
            assert self._loop is not None
            try:
                self._loop.call_soon_threadsafe(self._deliver, line)
            except RuntimeError:  # the loop closed: the console is leaving
                return
            if line is None:
                return

    def _read_one(self) -> str | None:
        try:
            if self._terminal.interactive and self._terminal.readline is not None:
                return input(PROMPT)
            line = self._stdin.readline()
        except EOFError:
            return None
        except UnicodeDecodeError:
            return "\ufffd"  # bytes that are not text: answered as such, never a traceback
        if not line:
            return None
        return line.rstrip("\r\n")

    def _deliver(self, line: str | None) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.set_result(line)
