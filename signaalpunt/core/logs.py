"""Application logging: one line per record, and nothing a user typed can start a new line."""

import json
import logging
import re
import sys
import time

from flask import Flask, g, request
from werkzeug import Response

request_logger = logging.getLogger("signaalpunt.requests")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class SingleLineFormatter(logging.Formatter):
    """Escapes line breaks and other control characters, so a crafted value cannot forge a log entry."""

    def format(self, record: logging.LogRecord) -> str:
        return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name}
        entry.update(getattr(record, "fields", {}) or {"message": record.getMessage()})
        return json.dumps(entry, ensure_ascii=False)


def log_request(response: Response) -> Response:
    """One line per request: method, path (never the query string, which can hold a search), status, duration."""
    started = getattr(g, "request_started", None)
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    fields = {"method": request.method, "path": request.path, "status": response.status_code, "ms": duration}
    # A partner app's request names its key by id, never the key itself.
    if "api_key_id" in g:
        fields["api_key_id"] = g.api_key_id
    request_logger.info("request", extra={"fields": fields})
    return response


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SingleLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("signaalpunt")
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    requests_handler = logging.StreamHandler(sys.stderr)
    requests_handler.setFormatter(JsonFormatter())
    request_logger.handlers = [requests_handler]
    request_logger.setLevel(logging.INFO)
    request_logger.propagate = False
    app.before_request(lambda: setattr(g, "request_started", time.perf_counter()))
    app.after_request(log_request)
