"""Neutral Message -> terminal text.

The core's plain-text form is exactly what a terminal should show (names as
``@name``, links as ``label (url)``, bullets as ``•``), so the console renders
with it; keeping the module gives every adapter the same shape.
"""

from __future__ import annotations

from bot.replies import Message


def render_text(message: Message) -> str:
    return message.plain_text()
