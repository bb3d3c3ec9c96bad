"""`make test-faults` (issue #16): under load on the scaled deployment, kill -9 one Rasa server,
one action server and one routing backend, stop the archive (RabbitMQ's consumer) for a
while, restart each; then every message got a reply (retryable errors retried), every
handoff she asked for exists once, every expert reply reached her once and in order, and
the archive caught up with every event. Figures in reports/faults/ (summary.md, summary.json).

About five minutes on two cores, most of it Rasa loading its model (start-up, and the
restart of the killed server). Needs PostgreSQL, Redis, RabbitMQ and nginx (the scaled
deployment's own requirements); run from the routing virtualenv. Its logs stay in var/faults/logs/;
its databases, queue and Redis keys are removed afterwards unless FAULTS_KEEP_STATE is set.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from deploy.scaled import ScaledDeployment
from tests.faults import conversations, evidence, report
from tests.faults.deployment import PROJECT_ROOT, clean_up, expert_accounts, prepare_experts, settings
from tests.faults.scenario import Scenario, run_tag, scripts_with_handoffs_first
from tests.faults.stores import PostgresStores

REPORTS = PROJECT_ROOT / "reports" / "faults"
START_SECONDS = 240  # two Rasa servers load their models at once on two cores


@pytest.fixture(scope="module")
def deployment():
    scaled = settings()
    deployment = ScaledDeployment(scaled, fresh=True)
    began = time.monotonic()
    deployment.start(timeout=START_SECONDS)
    deployment.start_seconds = round(time.monotonic() - began, 1)
    try:
        yield deployment
    finally:
        deployment.stop()
        if not os.environ.get("FAULTS_KEEP_STATE"):  # set it to read the databases after a failure
            left = clean_up(scaled)
            assert not left, f"the test's state could not be removed: {left}"


def test_nothing_is_lost_or_doubled_when_processes_die_under_load(deployment):
    accounts, disabled = prepare_experts(deployment.routing_database_url, expert_accounts())
    stores = PostgresStores(deployment.tracker_database_url, deployment.routing_database_url)
    try:
        scenario = Scenario(deployment, stores, deployment.front_url, accounts,
                            scripts_with_handoffs_first(conversations.load()), run_tag())
        scenario.extra_settings["experts_disabled"] = disabled
        outcome = scenario.run()
    finally:
        stores.close()
    outcome.seconds = {"start": deployment.start_seconds, **outcome.seconds}
    outcome.evidence = evidence.for_findings(outcome.findings, deployment.log_path("rasa-1").parent,
                                             scenario.run_tag)
    written: Path = report.write(outcome, REPORTS)
    assert outcome.passed, f"{written}:\n{written.read_text(encoding='utf-8')}"
