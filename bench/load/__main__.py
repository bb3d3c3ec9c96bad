"""`python -m bench.load --out reports/load [--quick] [--systems embedded,scaled,bare]`.

Each system in turn: started on free loopback ports, warmed up, measured at each level,
stopped; then the report. Exits 1 when a target is missed, or, in a full run, when one
could not be measured; --quick (1 and 20 users, 20 s each) is for trying things out.
"""
from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

from bench.load.conversations import load as load_conversations
from bench.load.report import RunReport, SystemReport, write
from bench.load.run import by_users, load_average, measure
from bench.load.settings import QUICK_USERS, LoadSettings
from bench.load.systems import PROJECT_ROOT, SYSTEMS, SystemUnavailable, build
from bench.load.targets import check

METHOD = """
Every simulated woman holds the conversations of `bench/load/conversations.yml` one after another,
each under a new conversation id, starting at a different one per woman: a legal question and its
follow-ups (pregnancy at work, custody and child support), a family-education question (a gaming son),
care questions (sleeplessness, the free cancer screening), a start-up question, and two requests for a
person (a lawyer for unpaid child support, a family educator for a bullied daughter) that open a
handoff. No message speaks of danger: a crisis reply pages the people on duty, and none is sent.
She sends each message through `POST /webhooks/rest/webhook` and the next one when the reply has
arrived (no thinking time). Latency per turn is measured on the client, from sending to the whole
reply received; p50, p95 and p99 are over every turn of the level, a failed turn at the time it took.
An error is a status other than 200, no reply within 30 s, or a reply with no message. Throughput is
the successful turns over the level's window (its start to its last reply: the "seconds" column).
Each level lasts the stated time; a woman sends nothing new once it is over (or after 5,000 turns),
and the turn she is waiting for is counted.

While the women write, an expert per department (routing backend users made for the bench; on the
scaled deployment the demo experts are disabled so that handoffs go to these) lists the handoffs she
may see once a second, as a console does, claims each new one, replies through
`POST /api/v1/handoffs/{id}/reply`, reads the handoff once a second until her reply is no longer
pending (the backend marks it delivered when Rasa has taken it into her conversation; the REST
channel cannot push) and resolves it. After the level the experts get 30 s to finish; "in her
tracker" counts the replies found exactly once among the bot's messages of her conversation in
Rasa's SQL tracker store. "urgent" counts urgent handoffs: the crisis reply opens one; none is
expected.

The bare reference has the same intent names as `domain.yml`, one `utter_` response per intent and a
rule intent → response, trained on every example of `data/nlu/` with Rasa's stock Chinese pipeline
(`bot/bench_stock.py`: Jieba, word and char_wb 1–4 count vectors, DIETClassifier with its default
transformer; RulePolicy), no action server and Rasa's in-memory tracker store. Its model is cached in
`var/bench-load/bare/models/` under a hash of its inputs. DIET's epochs only change its accuracy, not
the cost of a message: the reference is for speed, not for answers.

Each system is warmed up first (every conversation once, then a short untimed level). The machine
has two cores that other work shares: the load average is written beside every level, and figures
taken under load are slower than on an idle machine, for the reference as much as for the pipeline.
"""


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("reports/load"))
    parser.add_argument("--quick", action="store_true", help="1 and 20 users, 20 s each")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="which of embedded,scaled,bare (in order)")
    parser.add_argument("--users", help="levels, e.g. 1,20,50,100")
    parser.add_argument("--seconds", type=float, help="seconds per level")
    parser.add_argument("--bare-epochs", type=int, help="DIET epochs of the bare reference")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> LoadSettings:
    settings = LoadSettings.from_env()
    if args.quick:
        settings = replace(settings, users=QUICK_USERS, seconds=20.0, warmup_seconds=10.0, drain_seconds=20.0)
    if args.users:
        settings = replace(settings, users=tuple(int(value) for value in args.users.split(",")))
    if args.seconds:
        settings = replace(settings, seconds=args.seconds)
    if args.bare_epochs:
        settings = replace(settings, bare_epochs=args.bare_epochs)
    settings.check()
    return settings


def run_system(name: str, settings: LoadSettings, conversations, run: str) -> SystemReport:
    system = build(name, settings.workdir if settings.workdir.is_absolute() else PROJECT_ROOT / settings.workdir,
                   settings.bare_epochs)
    report = SystemReport(name=name, label=system.label)
    print(f"{system.label}: starting", flush=True)
    started = time.monotonic()
    try:
        running = system.start()
        report.start_seconds = round(time.monotonic() - started, 1)
        report.notes += running.notes
        report.warmup, report.levels, problems = measure(running, conversations, settings, run,
                                                         log=lambda line: print(line, flush=True))
        report.notes += problems
    except SystemUnavailable as error:
        report.error = str(error)
    except Exception as error:  # noqa: BLE001 - one system failing is a figure; the others still run
        report.error = f"{type(error).__name__}: {error}"
    finally:
        try:
            system.stop()
        except Exception as error:  # noqa: BLE001 - written down; the next system still runs
            report.notes.append(f"stopping it failed: {type(error).__name__}: {error}")
        report.notes += getattr(system, "stop_notes", [])
    if report.error:
        print(f"  not measured: {report.error}", flush=True)
    return report


def main(argv: Optional[List[str]] = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    args = arguments(argv)
    settings = settings_from(args)
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = [name for name in names if name not in SYSTEMS]
    if unknown:
        print(f"unknown systems: {', '.join(unknown)}", file=sys.stderr)
        return 2
    conversations = load_conversations()
    run = secrets.token_hex(3)
    report = RunReport(started_utc=_now(), mode="quick" if args.quick else "full",
                       seconds_per_level=settings.seconds,
                       machine={"cpus": os.cpu_count(), "load_before": load_average(), "commit": _commit()},
                       systems=[], verdicts=[], conversations=[c.id for c in conversations])
    for name in names:
        report.systems.append(run_system(name, settings, conversations, run))
    report.verdicts = check({s.name: by_users(s.levels) for s in report.systems})
    report.machine["load_after"] = load_average()
    report.finished_utc = _now()
    paths = write(report, args.out, METHOD)
    print(f"Wrote {', '.join(str(path) for path in paths.values())}.")
    missed = [v for v in report.verdicts if v.met is False]
    unmeasured = [v for v in report.verdicts if v.met is None]
    for verdict in missed:
        print(f"Target missed: {verdict.target}: {verdict.measured} (limit {verdict.limit})")
    if not args.quick and unmeasured:
        print(f"Not measured: {', '.join(v.target for v in unmeasured)}")
    return 1 if missed or (unmeasured and not args.quick) else 0


if __name__ == "__main__":
    sys.exit(main())
