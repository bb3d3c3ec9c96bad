"""Rebuild security/advisories.json from a git clone of the PyPA advisory database.

Reads the tree of one commit (a bare mirror or a working clone, through git itself), keeps the
advisories of every package named in the lock files, drops withdrawn ones and GIT ranges, and
reduces each to what the audit reads. A version the database lists explicitly and an ECOSYSTEM
range already covers is left out: the match is the same and the file stays small.

    python -m security.refresh --repository DIR [--rev REF] [--source-url URL] [--out FILE]
"""
from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Optional

import yaml
from packaging.utils import canonicalize_name

from security.locks import LOCK_FILES, read_locks
from security.osv import UnreadableVersion, affects, event_kind_and_bound, fixed_versions
from security.snapshot import SNAPSHOT_FILE, dump

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = "https://github.com/pypa/advisory-database"
LICENCE = ("CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/). The advisories are the Python Packaging "
           "Advisory Database's (https://github.com/pypa/advisory-database), by its contributors; reduced here "
           "to the packages of our lock files and to the fields the audit reads (id, aliases, package, summary, "
           "ECOSYSTEM ranges, versions not covered by a range, fixed versions).")
ABOUT = ("Known vulnerabilities of every package in requirements.lock and routing/requirements.lock, for the "
         "offline audit (scripts/audit-requirements). Rebuilt by scripts/refresh-advisories; do not edit by hand.")
SUMMARY_LENGTH = 200


def git(repository: Path, *arguments: str, stdin: Optional[bytes] = None) -> bytes:
    return subprocess.run(["git", "-C", str(repository), *arguments], input=stdin, capture_output=True,
                          check=True, timeout=600).stdout


def read_blobs(repository: Path, commit: str, paths: list[str]) -> dict[str, bytes]:
    """Many files of one commit in one `git cat-file --batch` call."""
    request = "".join(f"{commit}:{path}\n" for path in paths).encode()
    output, blobs, position = git(repository, "cat-file", "--batch", stdin=request), {}, 0
    for path in paths:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        blobs[path] = output[header_end + 1:header_end + 1 + size]
        position = header_end + 1 + size + 1
    return blobs


def summary_of(record: dict) -> str:
    text = (record.get("summary") or "").strip() or (record.get("details") or "").strip().split("\n")[0]
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH - 1] + "…"


def reduce_record(record: dict, package: str) -> Optional[dict]:
    """The audit's view of one OSV record for one package; None when withdrawn or not about it."""
    if record.get("withdrawn"):
        return None
    ranges, versions = [], []
    for affected in record.get("affected", []):
        about = affected.get("package", {})
        if about.get("ecosystem") != "PyPI" or canonicalize_name(about.get("name", "")) != package:
            continue
        for range_ in affected.get("ranges", []):
            if range_.get("type") == "ECOSYSTEM":
                events = [{kind: str(bound)} for kind, bound in map(event_kind_and_bound, range_["events"])
                          if kind != "limit"]
                if events not in ranges:
                    ranges.append(events)
        versions.extend(str(version) for version in affected.get("versions", []))
    if not ranges and not versions:
        return None
    versions = sorted({version for version in versions if not _covered(version, ranges)})
    return {"id": record["id"], "aliases": sorted(record.get("aliases") or []), "package": package,
            "summary": summary_of(record), "ranges": ranges, "versions": versions,
            "fixed": fixed_versions(ranges)}


def _covered(version: str, ranges: list) -> bool:
    try:
        return affects(version, ranges)
    except UnreadableVersion:
        return False


def extract(repository: Path, rev: str, packages: Iterable[str]) -> tuple[str, str, list[dict]]:
    """(commit, commit date, reduced advisories) for the given canonical package names."""
    commit = git(repository, "rev-parse", f"{rev}^{{commit}}").decode().strip()
    date = git(repository, "show", "-s", "--format=%cI", commit).decode().strip()
    folders = {canonicalize_name(Path(line).name): line
               for line in git(repository, "ls-tree", "--name-only", commit, "vulns/").decode().splitlines()}
    wanted = [folders[name] for name in sorted(set(packages)) if name in folders]
    paths = [path for folder in wanted
             for path in git(repository, "ls-tree", "-r", "--name-only", commit, f"{folder}/").decode().splitlines()
             if path.endswith((".yaml", ".yml", ".json"))]
    advisories = []
    for path, blob in read_blobs(repository, commit, paths).items():
        reduced = reduce_record(yaml.safe_load(blob), canonicalize_name(Path(path).parent.name))
        if reduced is not None:
            advisories.append(reduced)
    return commit, date, advisories


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m security.refresh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repository", type=Path, required=True, help="a clone (bare or not) of the database")
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--source-url", default=UPSTREAM, help="where the clone came from, recorded in the file")
    parser.add_argument("--out", type=Path, default=SNAPSHOT_FILE)
    arguments = parser.parse_args(argv)
    pins = read_locks(ROOT, LOCK_FILES)
    packages = sorted({pin.name for pin in pins})
    try:
        commit, date, advisories = extract(arguments.repository, arguments.rev, packages)
    except subprocess.CalledProcessError as error:
        print(f"refresh: git failed: {error.stderr.decode(errors='replace').strip()}", file=sys.stderr)
        return 2
    document = {"about": ABOUT, "licence": LICENCE, "source": arguments.source_url, "commit": commit,
                "commit_date": date, "extracted_on": datetime.date.today().isoformat(),
                "lock_files": list(LOCK_FILES), "packages": packages, "advisories": advisories}
    arguments.out.write_text(dump(document), encoding="utf-8")
    print(f"Wrote {arguments.out}: {len(advisories)} advisories for {len(packages)} packages, "
          f"{arguments.source_url} at {commit[:12]} ({date}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
