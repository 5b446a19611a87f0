"""Members, keyed by (platform, workspace, platform user id), never by display name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.requests import UserRef
from bot.storage.models.base import Base


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    is_bot: Mapped[bool] = mapped_column(default=False)
    reminders_opt_out: Mapped[bool] = mapped_column(default=False)
    first_seen: Mapped[datetime]
    #: refreshed when the member is seen, at most about once an hour per bot process
    last_seen: Mapped[datetime]
    #: set by /kudos undo: the highest id among the kudos this member still had right
    #: after it (0: none). Undo only takes back a kudos with a higher id, i.e. one
    #: given since, so a second undo cannot remove an older kudos.
    undo_floor_kudos_id: Mapped[int | None]

    def ref(self) -> UserRef:
        return UserRef(
            platform=self.platform,
            workspace_id=self.workspace_id,
            user_id=self.user_id,
            display_name=self.display_name,
            is_bot=self.is_bot,
        )
