"""The trained model, loaded in-process for batch work (no server needed)."""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any, Dict, Protocol


class MessageParser(Protocol):
    def parse(self, text: str) -> Dict[str, Any]: ...


def _quiet_logs() -> None:
    """Keep standard output for results: Rasa's structured debug logs go to stderr, warnings only."""
    import structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
    )


class RasaModelParser:
    """Runs the NLU part of a trained Rasa model on one text at a time."""

    def __init__(self, model_path: Path) -> None:
        if not Path(model_path).exists():
            raise FileNotFoundError(
                f"No trained model at {model_path}: run `make train` first."
            )
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        _quiet_logs()
        from rasa.core.agent import Agent  # lazy: importing Rasa takes seconds

        self._loop = asyncio.new_event_loop()
        self._agent = Agent.load(str(model_path))

    def parse(self, text: str) -> Dict[str, Any]:
        return self._loop.run_until_complete(self._agent.parse_message(text))

    def close(self) -> None:
        self._loop.close()
