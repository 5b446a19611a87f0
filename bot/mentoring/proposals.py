"""A stored match's status: the proposal staff review (``proposed``) and the confirmed ones.

Storing, confirming and reading matches is
:class:`bot.storage.repositories.mentoring_pairs.MentoringPairRepository`
(``work.mentoring_pairs``); a match a rematch replaced has
:func:`bot.mentoring.pairs.ended_status`.
"""

from __future__ import annotations

PROPOSED = "proposed"
CONFIRMED = "confirmed"
