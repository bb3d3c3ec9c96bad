#!/usr/bin/env bash
# Chat in the terminal, with the action server started for the session.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore
umask 077
mkdir -p var/logs
source scripts/secrets-env
if ! curl -fs http://localhost:5055/health >/dev/null 2>&1; then
  "$VENV/bin/python" -m actions.server --port 5055 >var/logs/actions.log 2>&1 &
  trap 'kill $! 2>/dev/null || true' EXIT
fi
"$VENV/bin/rasa" shell --model models/assistant.tar.gz --endpoints endpoints.yml
