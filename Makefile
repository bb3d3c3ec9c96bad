# The front door. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/assistant.tar.gz
ROUTING_VENV ?= .venv-routing
ROUTING_PY := $(ROUTING_VENV)/bin/python
SOCKETIO_CLIENT_VERSION := 4.8.4
SOCKETIO_CLIENT := connectors/webchat_static/vendor/socket.io.min.js
TRAINING_INPUTS := config.yml domain.yml contract/assistant_contract/catalogue/taxonomy.yml \
	$(shell find data nlu -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) 2>/dev/null)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore

.PHONY: help install lock audit audit-offline train run run-scaled shell test test-unit test-routing test-stories test-browser test-faults browser-deps webchat-assets bench bench-compare bench-grid bench-load eval eval-dialogue validate lint clean export-corrections

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock contract/pyproject.toml
	@test -x $(PY) || $$(scripts/find-python3.10) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e ./contract
	@touch $@
	@echo "Installed the Rasa environment in $(VENV)."

$(ROUTING_VENV)/.installed: routing/requirements.lock contract/pyproject.toml
	@test -x $(ROUTING_PY) || $$(scripts/find-python3.11) -m venv $(ROUTING_VENV)
	$(ROUTING_PY) -m pip install --quiet --upgrade pip
	$(ROUTING_PY) -m pip install --quiet --require-hashes -r routing/requirements.lock
	$(ROUTING_PY) -m pip install --quiet --no-deps -e ./contract
	@touch $@
	@echo "Installed the routing backend environment in $(ROUTING_VENV)."

install: $(VENV)/.installed $(ROUTING_VENV)/.installed ## create both virtualenvs, install the locked dependencies (hashes checked) and the shared contract/

lock: ## after changing a pin in requirements*.txt: regenerate requirements.lock and routing/requirements.lock (pip-tools)
	scripts/lock-requirements

audit: ## known vulnerabilities in both lock files (pip-audit when PyPI's advisory API answers, else the committed snapshot)
	scripts/audit-requirements

audit-offline: $(VENV)/.installed ## known vulnerabilities: both lock files against the committed advisory snapshot (no network, seconds)
	scripts/audit-requirements --offline

validate: $(VENV)/.installed ## check training data and domain for conflicts
	$(RASA) data validate --max-history 5 --quiet

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(RASA) data validate --max-history 5 --quiet
	$(RASA) train --fixed-model-name assistant --out models
	@touch $@
	@echo "Trained $(MODEL)."

train: $(MODEL) ## train the model if it is missing or older than its inputs

run: $(MODEL) $(ROUTING_VENV)/.installed $(SOCKETIO_CLIENT) ## install, train if stale, start Rasa (5005), actions (5055), routing (8000) on 127.0.0.1
	scripts/run.sh

run-scaled: $(MODEL) $(ROUTING_VENV)/.installed $(SOCKETIO_CLIENT) ## two Rasa, two action servers, two routing backends behind nginx, on PostgreSQL, Redis and RabbitMQ (docs/scaling.md)
	scripts/run-scaled

shell: $(MODEL) ## chat with the assistant in the terminal
	scripts/shell.sh

test-unit: $(MODEL) $(ROUTING_VENV)/.installed
	@scripts/install-proxy  # tests/deploy start the scaled deployment behind nginx
	$(PY) -m pytest -q tests --ignore=tests/routing --ignore=tests/security/routing --ignore=tests/browser \
		--ignore=tests/faults

test-routing: $(ROUTING_VENV)/.installed ## routing backend tests, on SQLite and PostgreSQL (a throwaway one when none answers)
	scripts/with-postgres -- env PYTHONPATH=. $(ROUTING_PY) -m pytest -q tests/routing tests/security/routing tests/contract

test-browser: $(MODEL) $(ROUTING_VENV)/.installed browser-deps $(SOCKETIO_CLIENT) ## end-to-end tests in headless Chromium
	PYTHONPATH=. $(ROUTING_PY) -m pytest -q tests/browser

browser-deps: ## Debian's Chromium and Chinese fonts (apt; nothing to do when present)
	@scripts/install-chromium

$(SOCKETIO_CLIENT):
	scripts/fetch-socketio-client $(SOCKETIO_CLIENT_VERSION) $@

webchat-assets: $(SOCKETIO_CLIENT) ## fetch the web chat page's socket.io client from npm (git-ignored)

test-stories: $(MODEL)  # stories predict actions without calling the action server: no token needed
	ACTION_SERVER_TOKEN= $(RASA) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out reports/stories

test-faults: $(MODEL) $(VENV)/.installed $(ROUTING_VENV)/.installed ## kill -9 servers of the scaled deployment under load: nothing lost or doubled (~5 min; reports/faults/)
	@scripts/install-proxy
	PYTHONPATH=. $(ROUTING_PY) -m pytest -q tests/faults

test: lint audit-offline test-routing test-unit test-stories test-browser test-faults ## the whole suite (trains first if needed)

bench: $(MODEL) ## NLU speed and memory against their targets, written to reports/bench/
	$(PY) -m bot bench --out reports/bench

bench-grid: $(ROUTING_VENV)/.installed ## the grid drill: 3,385 reports through the API, 20 clients, embedded SQLite; to reports/grid/
	PYTHONPATH=. $(ROUTING_PY) -m routing.grid.bench --out reports/grid

bench-load: $(MODEL) $(ROUTING_VENV)/.installed ## closed-loop simulated women at 1/20/50/100 users: embedded, scaled, bare Rasa (~40 min); to reports/load/
	@scripts/install-proxy
	$(PY) -m bench.load --out reports/load

bench-compare: $(VENV)/.installed ## make bench plus Rasa's stock Chinese pipeline trained for 10 minutes (about 20 min), to reports/bench/
	$(PY) -m bot.bench --stock-minutes 10 --out reports/bench

eval: $(MODEL) ## held-out and blind NLU figures and FAQ retrieval, written to reports/nlu/, reports/nlu-blind/, reports/retrieval/
	$(PY) -m bot eval --out reports/nlu
	$(PY) -m bot eval --data tests/data/blind_nlu.yml --out reports/nlu-blind --title "Blind messages (never tuned on)"
	$(PY) -m bot retrieval-eval --out reports/retrieval

eval-dialogue: $(MODEL) $(ROUTING_VENV)/.installed ## play every conversation test through the live servers: reports/dialogue/
	$(PY) -m tests.conversations.runner --out reports/dialogue

export-corrections: $(ROUTING_VENV)/.installed ## staff corrections from the web console → data/nlu/corrections.yml (masked)
	PYTHONPATH=. $(ROUTING_PY) -m routing export-corrections --out data/nlu/corrections.yml

lint: $(VENV)/.installed ## static checks (ruff)
	$(VENV)/bin/ruff check .

clean: ## remove the model, caches and local databases (keeps .venv)
	rm -rf models .rasa var reports/stories
