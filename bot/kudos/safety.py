"""Neutralise mass-mention syntax in member-written text before the bot posts it.

Renderers already escape :class:`~bot.replies.Text`, and adapters restrict who
may be notified. This is the core's second lock: even a lax renderer that
passed text through untouched would not ping a crowd, because every pattern a
platform treats as a mass mention is broken with an invisible word joiner.
"""

from __future__ import annotations

import re

from bot.replies import Text

#: U+2060 WORD JOINER: invisible, keeps the text readable, breaks the mention syntax.
WORD_JOINER = "\u2060"

# @everyone, @here, @channel (Slack and Discord plain-text forms). No word boundary:
# "@everyone_" and "@everyonefoo" are broken too, since a client may still read the
# crowd word inside them; a joiner in "@hereford" costs nothing.
_AT_CROWD = re.compile(r"@(?=everyone|here|channel)", re.IGNORECASE)
# <!channel>, <!here>, <!everyone>, <!subteam^S1>, <@U1>, <@&123> (roles), <#C1>
_ANGLE_MENTION = re.compile(r"<(?=[!@#])")


def neutralise(text: str) -> str:
    """Return ``text`` with every mention syntax made inert (but still readable)."""
    text = _AT_CROWD.sub("@" + WORD_JOINER, text)
    return _ANGLE_MENTION.sub("<" + WORD_JOINER, text)


def safe_text(text: str) -> Text:
    """A Text span of member-written text, neutralised."""
    return Text(neutralise(text))
