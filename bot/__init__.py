"""memberbot core: platform-neutral question answering, kudos and broadcasts."""

from __future__ import annotations

__version__ = "0.1.0"
