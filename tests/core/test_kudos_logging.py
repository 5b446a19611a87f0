"""Kudos log lines are one line each: a database error's SQL never reaches the log."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.kudos.store import _log_unsaved


async def test_an_unsaved_post_reference_is_logged_on_one_line_without_sql(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    failed.set_exception(
        RuntimeError(
            "(sqlite3.OperationalError) database is locked\n"
            "[SQL: UPDATE kudos SET posted_channel_id=? WHERE kudos.id = ?]\n"
            "(Background on this error at: https://sqlalche.me/e/20/e3q8)"
        )
    )
    with caplog.at_level(logging.WARNING, logger="bot.kudos.store"):
        _log_unsaved(failed, kudos_id=7)
    (record,) = caplog.records
    message = record.getMessage()
    assert message == (
        "kudos post reference not saved: RuntimeError: "
        "(sqlite3.OperationalError) database is locked"
    )
    assert record.kudos_id == 7  # type: ignore[attr-defined]
