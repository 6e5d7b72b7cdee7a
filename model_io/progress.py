"""Progress lines on the console during a long build (which stage, which k)."""

from __future__ import annotations

import logging
import sys

# the K-means domain's logger (segmentation.kmeans logs which k it is on)
LOGGER_NAME = "segmentation"


class ConsoleHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is when a line is logged, not when the handler was made:
    dbt can run several builds in one process (dbtRunner), each with its own output."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def log_progress_to_console() -> None:
    """Sends the package's INFO lines to stdout, timestamped like dbt's own lines; once."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # dbt's root handler would print each line a second time
    if not any(isinstance(handler, ConsoleHandler) for handler in logger.handlers):
        handler = ConsoleHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s  %(message)s", datefmt="%H:%M:%S"))
        logger.addHandler(handler)
