"""Refuse malformed HTTP requests before Bolt reads them: a clear status and one log line.

Bolt decodes the body as UTF-8, parses it (JSON, or a form whose ``payload`` is
JSON) and reads the signature headers as it builds its request, and any of
those steps failing was a 500 with a traceback in the log. The timestamp is
read before the signature is checked, so anyone could fill the log. This
middleware answers such requests itself: 400 for a body that cannot be read,
401 for signature headers that cannot be checked, each with one warning line
naming the reason and no traceback. It parses exactly as Bolt does, so what it
lets through, Bolt can read.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_bolt.request.internals import parse_body

log = logging.getLogger(__name__)

#: Longest timestamp accepted: seconds since 1970 have 10 digits for centuries to come.
MAX_TIMESTAMP_DIGITS = 12
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"


class MalformedRequest(Exception):
    """Why a request was refused; ``status`` is what the client gets."""

    def __init__(self, reason: str, *, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def guard_path(path: str) -> Middleware:
    """An aiohttp middleware that checks POSTs to ``path`` before the handler sees them."""

    @web.middleware
    async def refuse_malformed(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != path:
            return await handler(request)
        try:
            check_signature_headers(request)
            check_body(await request.read(), request.headers.get("Content-Type"))
        except MalformedRequest as refusal:
            log.warning(
                "refused a malformed Slack request",
                extra={
                    "reason": refusal.reason,
                    "status": refusal.status,
                    "remote": request.remote,
                },
            )
            return web.Response(status=refusal.status, text=refusal.reason)
        return await handler(request)

    return refuse_malformed


def check_signature_headers(request: web.Request) -> None:
    """The timestamp must be a plain number and the signature plain ASCII, when present.

    Missing headers are left to Bolt, which refuses unsigned requests itself.

    Raises:
        MalformedRequest: 401, the request cannot be verified.
    """
    timestamp = request.headers.get(TIMESTAMP_HEADER)
    if timestamp is not None and not (
        timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS
    ):
        raise MalformedRequest("the request timestamp is not a number of seconds", status=401)
    signature = request.headers.get(SIGNATURE_HEADER)
    if signature is not None and not signature.isascii():
        raise MalformedRequest("the request signature is not ASCII", status=401)


def check_body(raw: bytes, content_type: str | None) -> None:
    """The body must be UTF-8 and parse, as Bolt parses it, into a JSON object.

    Raises:
        MalformedRequest: 400, the body cannot be read.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedRequest("the body is not UTF-8 text", status=400) from None
    media_type = content_type.split(";")[0] if content_type else None
    try:
        parsed = parse_body(text, media_type)
    except (json.JSONDecodeError, RecursionError):
        kind = "JSON" if media_type == "application/json" or text.startswith("{") else "payload"
        raise MalformedRequest(f"the {kind} in the body is not valid JSON", status=400) from None
    if not isinstance(parsed, dict):
        raise MalformedRequest("the body is not a JSON object", status=400)
