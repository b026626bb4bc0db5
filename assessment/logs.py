"""Logging, configured in one place: one JSON object per line on standard error, level from the settings.
The served process (`assessment serve`, `assessment/ui/server.py`) sends Streamlit's and the web server's own
messages, Python warnings and uncaught tracebacks through the same formatter, so every line is one JSON object.

Log events say who did what (`event`, an actor such as "organiser" or "facilitator", a workshop id, a count),
never answers, comments, names, keys, tokens or join codes: `audit()` refuses field names that could carry
them, so a careless call fails in the tests instead of leaking into a log file.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from datetime import UTC, datetime
from typing import Any

LOGGER = "assessment"
_FORBIDDEN = ("answer", "comment", "name", "department", "key", "token", "code", "password", "secret")
_configured = False


class JsonFormatter(logging.Formatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ..., <fields>}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (test runners and Streamlit swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def json_handler() -> logging.Handler:
    """A handler writing JSON lines (`JsonFormatter`) to whatever `sys.stderr` is at the time."""
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    return handler


def log_uncaught() -> None:
    """Python warnings and uncaught exceptions (main thread and others) as JSON lines through the root logger,
    which gets a JSON handler, instead of plain text and tracebacks on standard error."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        for h in list(root.handlers):
            root.removeHandler(h)
        root.addHandler(json_handler())
    logging.captureWarnings(True)
    crash = logging.getLogger(LOGGER + ".uncaught")

    def excepthook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        crash.critical("uncaught exception", exc_info=(kind, value, tb))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        crash.critical(f"uncaught exception in thread {name}",
                       exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback))  # fmt: skip

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    """Send the app's logs (the `assessment` logger and its children) as JSON lines to `stream` (stderr).
    Safe to call on every Streamlit rerun: only the first call adds a handler; later calls set the level."""
    global _configured
    root = logging.getLogger(LOGGER)
    root.setLevel(level)
    if _configured and stream is None:
        return
    for h in list(root.handlers):
        if getattr(h, "_assessment", False):
            root.removeHandler(h)
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(JsonFormatter())
    handler._assessment = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.propagate = False
    _configured = True


def audit(event: str, *, actor: str, logger: str = LOGGER + ".audit", **fields: Any) -> None:
    """Log who did what: `audit("workshop_created", actor="organiser", workshop_id=12)`."""
    bad = [k for k in fields if any(word in k.lower() for word in _FORBIDDEN)]
    if bad:
        raise ValueError(f"log fields must not carry personal data or secrets: {', '.join(bad)}")
    logging.getLogger(logger).info(event, extra={"fields": {"event": event, "actor": actor, **fields}})
