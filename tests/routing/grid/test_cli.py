"""`python -m routing` grid commands: load the tree, create and place people, issue a binding code."""
from __future__ import annotations

import re

from alembic import command

from routing import cli
from routing.migrate import alembic_config


def run(monkeypatch, database_url, *args):
    monkeypatch.setenv("ROUTING_DATABASE_URL", database_url)
    monkeypatch.setattr(cli, "upgrade", lambda url: command.upgrade(alembic_config(url), "heads"))
    return cli.main(list(args))


def test_load_create_place_and_issue_a_code(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'routing.db'}"
    assert run(monkeypatch, url, "load-grid-data") == 0
    assert run(monkeypatch, url, "create-grid-user", "--username", "wang", "--password", "a-long-password",
               "--role", "grid_worker", "--unit", "T01V01G1-01") == 0
    assert run(monkeypatch, url, "create-grid-user", "--username", "li", "--password", "a-long-password",
               "--role", "grid_worker", "--unit", "NOWHERE") == 2
    assert run(monkeypatch, url, "set-grid-unit", "--user", "wang", "--unit", "T01V01G1-02") == 0
    assert run(monkeypatch, url, "issue-binding-code", "--user", "wang") == 0
    assert run(monkeypatch, url, "issue-binding-code", "--user", "nobody") == 2
    output = capsys.readouterr().out
    assert re.search(r"Binding code for wang: \d{6}", output) and "Loaded" in output


def test_a_cadre_is_created_in_her_office_at_any_level_and_can_be_issued_a_code(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'routing.db'}"
    assert run(monkeypatch, url, "load-org-data") == 0
    assert run(monkeypatch, url, "create-cadre", "--username", "chen", "--password", "a-long-password",
               "--office", "org-440000") == 0
    assert run(monkeypatch, url, "create-cadre", "--username", "zhou", "--password", "a-long-password",
               "--office", "org-999999") == 2  # no such office: nothing is created
    assert run(monkeypatch, url, "issue-binding-code", "--user", "chen") == 0
    assert run(monkeypatch, url, "issue-binding-code", "--user", "zhou") == 2
    captured = capsys.readouterr()
    assert "Created cadre chen of 广东省妇女联合会 (province)" in captured.out
    assert "org-999999" in captured.err and re.search(r"Binding code for chen: \d{6}", captured.out)
