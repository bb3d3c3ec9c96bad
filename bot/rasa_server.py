"""`python -m bot.rasa_server run …`: Rasa's own command line, with the project's measured fixes to
Rasa installed first (today one: `bot.action_result_check`). Every place that serves the assistant
starts Rasa this way (scripts/run.sh, deploy/services.py, the live tests, the benchmarks); training
and `rasa shell` need none of it and use `rasa` itself.
"""
from __future__ import annotations

import sys
from typing import Callable, List, Optional

from bot import action_result_check


def main(argv: Optional[List[str]] = None, rasa_main: Optional[Callable[[], None]] = None) -> None:
    action_result_check.install()
    if rasa_main is None:
        from rasa.__main__ import main as rasa_main
    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
