"""Starting the Discord adapter logs nothing about voice, which the bot never uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# A fresh process: discord.py warns once per process, so only a new one shows it.
START_A_CLIENT = """
import logging
logging.basicConfig(level=logging.WARNING)
import adapters.discord.app
import discord
discord.Client(intents=discord.Intents.none())
print("client built")
"""


def test_no_voice_library_warning_at_start() -> None:
    started = subprocess.run(
        [sys.executable, "-c", START_A_CLIENT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert started.returncode == 0, started.stderr
    assert "client built" in started.stdout
    assert "voice will NOT be supported" not in started.stderr
    assert "PyNaCl" not in started.stderr and "davey" not in started.stderr
