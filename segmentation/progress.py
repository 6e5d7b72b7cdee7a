"""Progress lines on the console during a long build (which stage, which k)."""

from __future__ import annotations

import logging
import sys

LOGGER_NAME = "segmentation"


def log_progress_to_console() -> None:
    """Sends the package's INFO lines to stdout, timestamped like dbt's own lines; once."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # dbt's root handler would print each line a second time
    if not any(getattr(handler, "is_progress", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s  %(message)s", datefmt="%H:%M:%S"))
        handler.is_progress = True
        logger.addHandler(handler)
