"""A tiny advisory database in git, for the refresh module and its script."""
import subprocess

import pytest

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": "2026-07-23T14:42:31+00:00",
           "GIT_COMMITTER_DATE": "2026-07-23T14:42:31+00:00", "PATH": "/usr/bin:/bin"}

SOCKETIO = """\
id: PYSEC-2026-3042
aliases: [GHSA-5w7q-77mv-v69f, CVE-2026-48804]
summary: "python-socketio: Binary attachment accumulation can cause denial of service"
affected:
- package: {name: python-socketio, ecosystem: PyPI}
  ranges:
  - type: GIT
    repo: https://github.com/miguelgrinberg/python-socketio
    events: [{introduced: "0"}, {fixed: abc123}]
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {fixed: 5.16.2}]
  versions: [5.9.0, 5.16.1]
"""
WITHDRAWN = """\
id: PYSEC-2026-1
withdrawn: "2026-07-22T00:00:00Z"
summary: rejected
affected:
- package: {name: python-socketio, ecosystem: PyPI}
  ranges: [{type: ECOSYSTEM, events: [{introduced: "0"}]}]
"""
SIX_GIT_ONLY = """\
id: PYSEC-2019-9
details: |
  %s
  Second line.
affected:
- package: {name: six, ecosystem: PyPI}
  ranges: [{type: GIT, repo: https://example.invalid/six, events: [{introduced: "0"}, {fixed: def456}]}]
  versions: ["1.0", "1.1"]
- package: {name: other-package, ecosystem: PyPI}
  ranges: [{type: ECOSYSTEM, events: [{introduced: "0"}]}]
""" % ("x" * 250)
NOT_LOCKED = """\
id: PYSEC-2023-61
summary: django
affected:
- package: {name: django, ecosystem: PyPI}
  ranges: [{type: ECOSYSTEM, events: [{introduced: "0"}, {fixed: "4.2.1"}]}]
"""


@pytest.fixture
def database(tmp_path):
    repository = tmp_path / "advisory-database"
    files = {"vulns/Python_SocketIO/PYSEC-2026-3042.yaml": SOCKETIO,
             "vulns/Python_SocketIO/PYSEC-2026-1.yaml": WITHDRAWN,
             "vulns/six/PYSEC-2019-9.yaml": SIX_GIT_ONLY,
             "vulns/django/PYSEC-2023-61.yaml": NOT_LOCKED}
    for path, text in files.items():
        (repository / path).parent.mkdir(parents=True, exist_ok=True)
        (repository / path).write_text(text, encoding="utf-8")
    for command in (["init", "--quiet"], ["add", "."], ["commit", "--quiet", "-m", "advisories"]):
        subprocess.run(["git", "-C", str(repository), *command], check=True, env=GIT_ENV, timeout=60)
    return repository
