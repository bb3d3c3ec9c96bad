"""Known vulnerabilities in the locked packages, checked offline against a committed advisory snapshot.

`advisories.json` is the snapshot (refreshed by scripts/refresh-advisories), `audit-ignore.yml`
the reviewed exceptions; scripts/audit-requirements runs the check. Standard library, packaging
and PyYAML only, so either virtualenv can run it.
"""
