"""The services' log files (var/logs/ by default): pruned by age, and scrubbed of one conversation.

A log line of ours is one JSON object with its time (`ts`, routing/logging_json.py); other
lines (Rasa's own, tracebacks) count as written when the file was last written. A file
nobody wrote to within the retention goes whole; a file still in use keeps its newer lines.
Rewriting a file in place keeps its inode, so a service that opened it with `>>` (append)
goes on writing at its end.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional

LOG_PATTERNS = ("*.log", "*.log.*")


def log_files(log_dir: Path) -> List[Path]:
    if not Path(log_dir).is_dir():
        return []
    found = {path for pattern in LOG_PATTERNS for path in Path(log_dir).glob(pattern) if path.is_file()}
    return sorted(found)


def line_time(line: str) -> Optional[datetime]:
    """The `ts` of one of our JSON lines; None for any other line."""
    if not line.startswith("{"):
        return None
    try:
        value = json.loads(line).get("ts")
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _rewrite(path: Path, keep: Callable[[str], bool], delete: bool) -> int:
    """Lines `keep` refuses: counted, and removed from the file unless a dry run."""
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        lines = handle.readlines()
    kept = [line for line in lines if keep(line)]
    dropped = len(lines) - len(kept)
    if dropped and delete:
        with path.open("r+", encoding="utf-8") as handle:
            handle.truncate(0)
            handle.writelines(kept)
    return dropped


def prune(log_dir: Path, cutoff: datetime, *, delete: bool) -> Dict[str, int]:
    """Files last written before the cutoff (count: 1 per file), and older JSON lines of the rest."""
    counts: Dict[str, int] = {}
    for path in log_files(log_dir):
        written = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
        if written < cutoff:
            counts["files"] = counts.get("files", 0) + 1
            if delete:
                path.unlink()
            continue
        dropped = _rewrite(path, lambda line: (line_time(line) or cutoff) >= cutoff, delete)
        if dropped:
            counts["lines"] = counts.get("lines", 0) + dropped
    return counts


def scrub(log_dir: Path, conversation_id: str, *, delete: bool) -> Dict[str, int]:
    """Lines naming her conversation id, in every log file."""
    total = sum(_rewrite(path, lambda line: conversation_id not in line, delete) for path in log_files(log_dir))
    return {"lines": total} if total else {}
