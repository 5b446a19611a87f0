"""All ORM models; importing this module registers every table on ``Base.metadata``."""

from __future__ import annotations

from bot.storage.models import member_reminders as member_reminders  # registers its table
from bot.storage.models import mentoring as mentoring  # registers the mentoring tables
from bot.storage.models import mentoring_pairs as mentoring_pairs  # registers its tables
from bot.storage.models.asked import AskedQuestion
from bot.storage.models.base import Base, UtcDateTime
from bot.storage.models.broadcasts import AuditLog, Broadcast, BroadcastDelivery
from bot.storage.models.deliveries import ProcessedDelivery
from bot.storage.models.kudos import Kudos, KudosRecipient, ThankYouNote
from bot.storage.models.kudos_posts import KudosPostRetry
from bot.storage.models.members import Member
from bot.storage.models.questions import AnswerFeedback, UnansweredQuestion

__all__ = [
    "AnswerFeedback",
    "AskedQuestion",
    "AuditLog",
    "Base",
    "Broadcast",
    "BroadcastDelivery",
    "Kudos",
    "KudosPostRetry",
    "KudosRecipient",
    "Member",
    "ProcessedDelivery",
    "ThankYouNote",
    "UnansweredQuestion",
    "UtcDateTime",
]
