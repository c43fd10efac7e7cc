"""Application logging: one line per record, and nothing a user typed can start a new line."""

import logging
import re
import sys

from flask import Flask

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class SingleLineFormatter(logging.Formatter):
    """Escapes line breaks and other control characters, so a crafted value cannot forge a log entry."""

    def format(self, record: logging.LogRecord) -> str:
        return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", super().format(record))


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SingleLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("signaalpunt")
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
