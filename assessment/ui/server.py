"""The served app's process: Streamlit's server with one log format. `assessment serve` runs
`python -m assessment.ui.server run <the app> <options>`, which is `streamlit run` after `json_logs()`:

- Streamlit's loggers (and the web server's, uvicorn, which Streamlit sets up) write through the app's JSON
  formatter (`assessment.logs.JsonFormatter`), tracebacks inside the line's `exception` field;
- what Streamlit prints for a person at a terminal (the address it serves, "Stopping...") is logged instead;
- Python warnings and uncaught exceptions become JSON lines too (`assessment.logs.log_uncaught`).

So an operator's log collector reads one JSON object per line from both standard output and standard error.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from typing import Any

from ..logs import JsonFormatter, json_handler, log_uncaught

CLI_LOGGER = "streamlit.cli"  # what Streamlit prints to the terminal, as log lines
ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")  # the colours and bold Streamlit adds for a terminal


def uvicorn_formatter(**_options: Any) -> JsonFormatter:
    """The JSON formatter for uvicorn's logging configuration (which adds options such as `use_colors`)."""
    return JsonFormatter()


def json_logs() -> None:
    """Route everything Streamlit, uvicorn and Python write to the console through the JSON formatter."""
    import uvicorn.config
    from streamlit import cli_util
    from streamlit import logger as st_logger

    handler = json_handler()

    def setup_formatter(logger: logging.Logger) -> None:  # replaces Streamlit's console formatter
        old = getattr(logger, "streamlit_console_handler", None)
        if old is not None:
            logger.removeHandler(old)
        logger.streamlit_console_handler = handler  # type: ignore[attr-defined]
        logger.addHandler(handler)

    st_logger.setup_formatter = setup_formatter
    st_logger.update_formatter()  # the loggers made so far; later ones call setup_formatter themselves

    printed = logging.getLogger(CLI_LOGGER)  # through the root logger's JSON handler (log_uncaught)
    printed.setLevel(logging.INFO)

    pending: list[str] = []  # parts printed with nl=False, joined into the next line

    def print_to_cli(message: str, **style: Any) -> None:
        pending.append(ANSI_STYLE.sub("", str(message)))
        if style.get("nl", True) is False:
            return
        text = "".join(pending)
        pending.clear()
        for line in text.splitlines():
            if line.strip():
                printed.info(" ".join(line.split()))

    cli_util.print_to_cli = print_to_cli

    # uvicorn applies its own logging configuration when Streamlit starts it: the same formatter there
    for formatter in uvicorn.config.LOGGING_CONFIG["formatters"].values():
        formatter.clear()
        formatter["()"] = f"{__name__}.{uvicorn_formatter.__name__}"
    log_uncaught()


def main(argv: Sequence[str] | None = None) -> None:
    """`streamlit run ...` with `json_logs()` in force (argv: what follows `streamlit`)."""
    json_logs()
    from streamlit.web import cli

    cli.main(args=list(sys.argv[1:] if argv is None else argv), prog_name="streamlit")


if __name__ == "__main__":
    main()
