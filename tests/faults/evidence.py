"""Log lines that show why a guarantee failed: for the first conversations a finding names, the
deployment's log lines that mention them (her conversation id), across every process."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Sequence

from tests.faults.checks import Finding

LINE_CHARACTERS = 300
SECRETS = (re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE), re.compile(r"(Bearer )[A-Za-z0-9._~+/=-]+"),
           re.compile(r"(://[^:/@\s]+:)[^@\s]+(?=@)"))


def redacted(line: str) -> str:
    """The report is committed: no token or password from a URL or header goes into it."""
    for pattern in SECRETS:
        line = pattern.sub(lambda match: match.group(1) + "…", line)
    return line


def conversation_ids(finding: Finding, run_tag: str, limit: int = 3) -> List[str]:
    pattern = re.compile(re.escape(run_tag) + r"-[A-Za-z0-9-]+")
    found: List[str] = []
    for line in finding.problems:
        for cid in pattern.findall(line):
            if cid not in found:
                found.append(cid)
    return found[:limit]


def excerpts(logs: Path, ids: Sequence[str], lines_each: int = 8) -> Dict[str, List[str]]:
    """{conversation id: the last `lines_each` lines naming it, each prefixed with its log's name}."""
    files = sorted(logs.glob("*.log")) if logs.is_dir() else []
    result: Dict[str, List[str]] = {}
    for cid in ids:
        seen: List[str] = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            seen += [f"{path.stem}: {redacted(line)[:LINE_CHARACTERS]}" for line in text.splitlines()
                     if cid in line and not _other_id(line, cid)]
        result[cid] = seen[-lines_each:]
    return result


def _other_id(line: str, cid: str) -> bool:
    """`…-w01-c1` must not match `…-w01-c10`."""
    index = line.find(cid)
    while index >= 0:
        after = line[index + len(cid):index + len(cid) + 1]
        if not (after.isalnum() or after == "-"):
            return False
        index = line.find(cid, index + 1)
    return True


def for_findings(findings: Sequence[Finding], logs: Path, run_tag: str) -> Dict[str, Dict[str, List[str]]]:
    """{guarantee: {conversation id: lines}} for the guarantees that failed."""
    return {f.guarantee: excerpts(logs, conversation_ids(f, run_tag)) for f in findings if not f.passed}
