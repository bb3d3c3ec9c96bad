"""`make run-scaled` (scripts/run-scaled): start the scaled deployment, say where to chat and
where the console is, and stop everything on Ctrl-C. Data stays between runs; `--fresh`
drops the databases, the queue's messages and the Redis keys first. Standard library only."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from typing import List, Optional

from deploy.scaled import ScaledDeployment, ScaledSettings

WATCH_SECONDS = 2.0


def welcome(deployment: ScaledDeployment) -> str:
    front, settings = deployment.front_url, deployment.settings
    logs, secrets = settings.workdir / "logs", settings.workdir / "secrets"
    return f"""
The scaled assistant is running (two Rasa servers, two action servers, two routing backends behind nginx).
  Chat with curl:
    curl -s {front}/webhooks/rest/webhook -H 'Content-Type: application/json' \\
      -d '{{"sender": "demo", "message": "你好"}}'
  在浏览器里聊天:         {front}/webhooks/webchat/
  Web console (experts, supervisors, staff, admin):
                          {front}/console/  (demo logins and passwords: {logs}/routing-1.log)
  Routing backend API:    {front}/docs
  Rasa HTTP API:          {front}  (token: {secrets}/rasa_api_token, as ?token=…)
  Databases:              {deployment.tracker_database_url} (Rasa's trackers)
                          {deployment.routing_database_url} (routing backend)
  Events:                 RabbitMQ queue {settings.queue}; locks in Redis ({settings.lock_prefix}:lock:*)
  Logs:                   {logs}/ (one per process; proxy-access.log says which replica answered)
Everything listens on 127.0.0.1 only; docs/scaling.md says what runs where.
Press Ctrl-C to stop."""


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/run-scaled", description=__doc__)
    parser.add_argument("--fresh", action="store_true",
                        help="start from empty databases, an empty queue and no Redis keys of this deployment")
    args = parser.parse_args(argv)
    os.umask(0o077)  # her conversations pass through the logs and the workdir: this user only
    deployment = ScaledDeployment(ScaledSettings.from_env(), fresh=args.fresh)
    for signum in (signal.SIGTERM, signal.SIGINT):  # SIGINT too: a shell may start it with SIGINT ignored
        signal.signal(signum, _interrupt)
    print(f"Starting the scaled deployment (logs in {deployment.settings.workdir / 'logs'}/) ...", flush=True)
    try:
        deployment.start()
        print(welcome(deployment), flush=True)
        reported: set = set()
        while True:  # a replica that dies is reported; its twin serves on; nothing restarts it unseen
            time.sleep(WATCH_SECONDS)
            dead = {name for name in deployment.NAMES if not deployment.is_alive(name)}
            for name in sorted(dead - reported):
                print(f"{name} stopped; see {deployment.log_path(name)}. The others serve on.", file=sys.stderr)
            reported = dead
            if "proxy" in dead:
                return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"The scaled deployment did not start: {error}", file=sys.stderr)
        return 1
    finally:
        deployment.stop()


if __name__ == "__main__":
    sys.exit(main())
