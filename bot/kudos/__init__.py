"""Kudos (public recognition) and thank-you notes (private), platform-neutral.

``parsing`` turns arguments into recipients and a reason, ``rules`` refuses what
is not allowed, ``service`` stores and delivers, ``queries`` and ``digest`` read.
"""

from __future__ import annotations

from bot.kudos.service import GiveOutcome, KudosService, ThankOutcome, UndoOutcome

__all__ = ["GiveOutcome", "KudosService", "ThankOutcome", "UndoOutcome"]
