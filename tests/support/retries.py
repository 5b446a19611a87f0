"""Retries without the wait: tests count the tries a fake server saw, not the seconds.

slack_sdk sleeps between tries (exponential backoff plus up to a second of random
jitter, and the same jitter on top of every 429's Retry-After) and the Slack sender
waits before sending a doubtful post again. Every try still happens, in the same order
and against the same fake server; only the pauses between them are taken away. A
Retry-After the fake server sends is still waited out (its whole seconds), so a test
can still hold a request in a long rate limit.
"""

from __future__ import annotations

import pytest
from slack_sdk.http_retry import async_handler, builtin_async_handlers, handler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter


class NoJitter(Jitter):
    """Adds nothing to the interval."""

    def recalculate(self, duration: float) -> float:
        return duration


class _NoRandomJitter:
    """Stands in for the ``random`` module where slack_sdk adds jitter to Retry-After."""

    @staticmethod
    def random() -> float:
        return 0.0


def remove_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Zero backoff between slack_sdk's tries and the Slack sender's resends."""
    # The handlers' default interval objects (slack_sdk keeps one per module).
    for calculator in {
        handler.default_interval_calculator,
        async_handler.default_interval_calculator,
    }:
        assert isinstance(calculator, BackoffRetryIntervalCalculator)
        monkeypatch.setattr(calculator, "backoff_factor", 0.0)
        monkeypatch.setattr(calculator, "jitter", NoJitter())
    monkeypatch.setattr(builtin_async_handlers, "random", _NoRandomJitter)
    monkeypatch.setattr("adapters.slack.sender.RESEND_DELAY_SECONDS", 0.0)
