"""Logs as one JSON object a line, each carrying the id of the request it belongs to.

``request_logged`` (config.middleware) sets ``current_request_id`` for the length of a
request and writes the request's own line; anything else logged meanwhile (a traceback from
``django.request``, a warning from the cache) carries the same id, so the "reference for
support" shown on an error page finds every line of that request.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# What a request's line holds besides the message (config.middleware.request_logged).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, the request's
    fields when the record has them, and the traceback if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
