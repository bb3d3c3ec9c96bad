"""`python -m bot.rasa_server run …`: Rasa's own command line, with the project's measured fixes to
Rasa installed first (`bot.action_result_check`, `bot.action_call_retry`). Every place that serves the assistant
starts Rasa this way (scripts/run.sh, deploy/services.py, the live tests, the benchmarks); training
and `rasa shell` need none of it and use `rasa` itself.

`run --enable-api` takes Rasa's API token from RASA_API_TOKEN, never from the command line: a
process's arguments are readable by every user of the machine (`ps`), and the token opens every
conversation through Rasa's HTTP API. Without the variable the API is not started open: the
launcher stops with a message.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, List, Mapping, Optional

from bot import action_call_retry, action_result_check

TOKEN_VARIABLE = "RASA_API_TOKEN"
TOKEN_OPTION = "--auth-token"


def with_api_token(args: List[str], environ: Mapping[str, str]) -> List[str]:
    """Rasa's arguments with the API token from the environment added (Rasa reads it as an option)."""
    if args[:1] != ["run"] or "--enable-api" not in args:
        return list(args)
    if any(arg == TOKEN_OPTION or arg.startswith(TOKEN_OPTION + "=") for arg in args):
        raise SystemExit(f"give Rasa's API token as {TOKEN_VARIABLE}, not {TOKEN_OPTION}: "
                         "arguments are visible to every user of the machine")
    token = (environ.get(TOKEN_VARIABLE) or "").strip()
    if not token:
        raise SystemExit(f"{TOKEN_VARIABLE} is not set: Rasa's HTTP API would let anyone read every conversation")
    return [*args, f"{TOKEN_OPTION}={token}"]  # one argument: a token may begin with "-"


def main(argv: Optional[List[str]] = None, rasa_main: Optional[Callable[[], None]] = None,
         environ: Optional[Mapping[str, str]] = None) -> None:
    args = with_api_token(list(sys.argv[1:] if argv is None else argv), os.environ if environ is None else environ)
    action_result_check.install()
    action_call_retry.install()
    if rasa_main is None:
        from rasa.__main__ import main as rasa_main
    sys.argv = ["rasa", *args]  # this process's copy: /proc/<pid>/cmdline keeps the command as started
    rasa_main()


if __name__ == "__main__":
    main()
