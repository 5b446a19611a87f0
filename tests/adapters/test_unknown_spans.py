"""A span no renderer knows is refused, never shown as something else.

mypy (``make lint``) already fails when a span type is added to ``Inline`` and a
renderer does not handle it (``assert_never``); this covers what reaches them at
run time anyway, such as an object passed where a span belongs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.console.render import render_text
from adapters.discord.render import render_span
from adapters.slack.render import fallback_text, render
from bot.replies import Message, Paragraph, span_plain


@dataclass(frozen=True, slots=True)
class _Unheard:
    text: str


def _message_with_unknown_span() -> Message:
    unknown: Any = _Unheard("hello")
    return Message((Paragraph((unknown,)),))


@pytest.mark.parametrize(
    "renderer",
    [
        pytest.param(render, id="slack-blocks"),
        pytest.param(fallback_text, id="slack-fallback"),
        pytest.param(lambda message: render_span(message.blocks[0].spans[0]), id="discord"),
        pytest.param(render_text, id="console"),
        pytest.param(lambda message: span_plain(message.blocks[0].spans[0]), id="plain-text"),
    ],
)
def test_a_renderer_refuses_a_span_it_does_not_know(renderer: Callable[[Message], Any]) -> None:
    with pytest.raises(AssertionError, match="_Unheard"):
        renderer(_message_with_unknown_span())
