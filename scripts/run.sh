#!/usr/bin/env bash
# Start the routing backend, the action server and Rasa on embedded defaults, on 127.0.0.1,
# each with its per-install secret; stop them all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
ROUTING_PORT=${ROUTING_PORT:-8000}
ROUTING_VENV=${ROUTING_VENV:-.venv-routing}
MODEL=${ASSISTANT_MODEL:-models/assistant.tar.gz}
BIND=${ASSISTANT_BIND_HOST:-127.0.0.1}
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore
umask 077  # her conversations, the databases and the logs: this user only
mkdir -p var/logs
source scripts/secrets-env
export ROUTING_URL=${ROUTING_URL:-http://127.0.0.1:$ROUTING_PORT}  # where the action server finds the routing backend

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

PYTHONPATH=. ROUTING_RASA_URL=${ROUTING_RASA_URL:-http://127.0.0.1:$RASA_PORT} "$ROUTING_VENV/bin/python" -m routing serve \
  --host "$BIND" --port "$ROUTING_PORT" >>var/logs/routing.log 2>&1 &
pids+=($!)
"$VENV/bin/python" -m actions.server --host 127.0.0.1 --port "$ACTION_PORT" >>var/logs/actions.log 2>&1 &
pids+=($!)
# Rasa's HTTP API (trackers, trigger_intent) needs the token, read from RASA_API_TOKEN (never an
# argument: `ps` shows arguments to every user); no CORS: the web chat page is same-origin.
"$VENV/bin/python" -m bot.rasa_server run --enable-api -i "$BIND" --model "$MODEL" --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml >>var/logs/rasa.log 2>&1 &
pids+=($!)

echo "Starting (logs in var/logs/) ..."
for _ in $(seq 1 180); do
  if curl -fs "http://localhost:$RASA_PORT/version" >/dev/null 2>&1 \
     && curl -fs "http://localhost:$ACTION_PORT/health" >/dev/null 2>&1 \
     && curl -fs "http://localhost:$ROUTING_PORT/healthz" >/dev/null 2>&1; then
    cat <<MSG

The assistant is running.
  Chat with curl:
    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
      -d '{"sender": "demo", "message": "你好"}'
  Chat in the terminal:   make shell   (in another terminal)
  在浏览器里聊天:         http://localhost:$RASA_PORT/webhooks/webchat/
  Rasa HTTP API:          http://localhost:$RASA_PORT  (token: var/secrets/rasa_api_token, as ?token=…)
  Action server:          http://localhost:$ACTION_PORT/health
  Routing backend API:    http://localhost:$ROUTING_PORT/docs  (demo users: see var/logs/routing.log)
  Web console (experts, supervisors, staff, admin):
                          http://localhost:$ROUTING_PORT/console/  (demo logins and passwords: var/logs/routing.log)
Everything listens on $BIND only; README "Security model" says what to change before real use.
Press Ctrl-C to stop.
MSG
    wait -n "${pids[@]}"
    echo "A service stopped; see var/logs/." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A service failed to start; see var/logs/." >&2; tail -20 var/logs/*.log >&2; exit 1; }
  done
  sleep 1
done
echo "Timed out waiting for the services; see var/logs/." >&2
exit 1
