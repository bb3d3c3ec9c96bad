"""Play the conversation files through the live servers and write the reports.

    .venv/bin/python -m tests.conversations.runner --out reports/dialogue
    .venv/bin/python -m tests.conversations.runner --only team-aftercrisis --out /tmp/dialogue

Exits 0 when the run completed, whatever the pass rate (the rates are the result;
today many turns are expected to fail); non-zero when a file cannot be read or the
servers cannot start.
"""
from __future__ import annotations

import argparse
import datetime
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from tests.conftest import MODEL_PATH, PROJECT_ROOT
from tests.conversations.conversation_spec import DEFAULT_FILES, Conversation, load_files, select
from tests.conversations.live_services import LiveServices
from tests.conversations.player import ConversationResult, play
from tests.conversations.report import percent, write_reports

RUNS_FOLDER = PROJECT_ROOT / "var" / "dialogue-runs"  # logs and databases of each run (git-ignored)
WARMUP_MESSAGE = "产假有多少天"


def run_conversations(conversations: Sequence[Conversation], workdir: Path,
                      progress: Optional[Callable[[ConversationResult], None]] = None) -> List[ConversationResult]:
    """Start fresh servers in `workdir`, play every conversation, stop the servers."""
    services = LiveServices(workdir).start()
    run_tag = secrets.token_hex(3)
    results = []
    try:
        # The first message after start-up loads the knowledge index and warms the model: a real
        # server pays that once, so it is not counted in any conversation's latency.
        replies, _, error = services.say(f"warmup-{run_tag}", WARMUP_MESSAGE)
        if not replies:  # e.g. Rasa up without a model it can load: every turn would fail alike
            raise RuntimeError(f"the assistant did not answer {WARMUP_MESSAGE!r} ({error or 'no reply'}); "
                               f"see {workdir}/rasa.log and actions.log")
        for conversation in conversations:
            result = play(services, conversation, run_tag)
            results.append(result)
            if progress:
                progress(result)
    finally:
        services.stop()
    return results


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def run_description(files: Sequence[Path]) -> dict:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    model_time = (datetime.datetime.fromtimestamp(MODEL_PATH.stat().st_mtime).isoformat(timespec="seconds")
                  if MODEL_PATH.exists() else "missing")
    return {"started": datetime.datetime.now().isoformat(timespec="seconds"),
            "commit": commit + (" (with uncommitted changes)" if dirty else ""),
            "model": f"{MODEL_PATH.name} of {model_time}", "files": [Path(f).name for f in files]}


def _progress(result: ConversationResult) -> None:
    checked = [t for t in result.turns if t.checked]
    passed = sum(t.passed for t in checked)
    print(f"  {result.conversation.id:<28} {passed}/{len(checked)} turns passed", flush=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conversations.runner", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "dialogue")
    parser.add_argument("--files", type=Path, nargs="+", default=list(DEFAULT_FILES))
    parser.add_argument("--only", nargs="+", default=[], help="conversation ids or id prefixes")
    parser.add_argument("--workdir", type=Path, help="where the servers keep logs and databases")
    parser.add_argument("--label", default="", help="a note on what was measured, shown in summary.md")
    args = parser.parse_args(argv)

    conversations = select(load_files(args.files), args.only)
    if not conversations:
        print("no conversation matches", file=sys.stderr)
        return 2
    workdir = args.workdir or RUNS_FOLDER / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    turns = sum(len(c.turns) for c in conversations)
    print(f"Playing {len(conversations)} conversations ({turns} turns); server logs in {workdir}", flush=True)
    run = dict(run_description(args.files), label=args.label)
    try:
        results = run_conversations(conversations, workdir, _progress)
    except RuntimeError as error:
        print(f"The servers are not usable: {error}", file=sys.stderr)
        return 1
    summary = write_reports(args.out, results, run)
    total, passed = summary["checked_turns"], summary["passed_turns"]
    print(f"Turns passed: {percent(passed, total)}; safety turns: {percent(summary['safety'][1], summary['safety'][0])}")
    print(f"Wrote {args.out}/summary.md, failures.md and results.json.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
