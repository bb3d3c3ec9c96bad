"""Log files: idle ones go whole, a file in use keeps its newer lines in place (same inode,
so a service appending to it goes on), and her conversation id can be scrubbed from all."""
from __future__ import annotations

import json
import os

from routing import log_files
from tests.routing.her_data_factory import NOW, days_ago


def _line(at, **fields):
    return json.dumps({"ts": at.isoformat(), **fields}) + "\n"


def test_older_json_lines_go_other_lines_stay_and_the_file_is_the_same(tmp_path):
    path = tmp_path / "routing.log"
    path.write_text(_line(days_ago(40), message="old") + "Traceback (most recent call last):\n"
                    + _line(days_ago(1), message="new"), encoding="utf-8")
    inode = path.stat().st_ino
    assert log_files.prune(tmp_path, days_ago(30), delete=False) == {"lines": 1}
    assert log_files.prune(tmp_path, days_ago(30), delete=True) == {"lines": 1}
    assert path.stat().st_ino == inode
    assert "old" not in path.read_text(encoding="utf-8") and "Traceback" in path.read_text(encoding="utf-8")


def test_a_file_nobody_wrote_to_within_the_retention_goes_whole(tmp_path):
    rotated = tmp_path / "rasa.log.1"
    rotated.write_text("plain text\n", encoding="utf-8")
    old = days_ago(31).timestamp()
    os.utime(rotated, (old, old))
    (tmp_path / "notes.txt").write_text("not a log\n", encoding="utf-8")
    assert log_files.prune(tmp_path, days_ago(30), delete=True) == {"files": 1}
    assert not rotated.exists() and (tmp_path / "notes.txt").exists()


def test_her_conversation_id_is_scrubbed_from_every_log(tmp_path):
    (tmp_path / "actions.log").write_text(_line(NOW, conversation="telegram-777001") + _line(NOW, conversation="x"),
                                          encoding="utf-8")
    assert log_files.scrub(tmp_path, "telegram-777001", delete=True) == {"lines": 1}
    assert "telegram-777001" not in (tmp_path / "actions.log").read_text(encoding="utf-8")
    assert log_files.line_time("not json") is None and log_files.line_time(_line(NOW)) == NOW
