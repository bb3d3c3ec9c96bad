from tests.faults.checks import Finding
from tests.faults.evidence import conversation_ids, excerpts, for_findings, redacted


def failed(*problems):
    return Finding("messages", {"lost": len(problems)}, ("lost",), problems=list(problems))


def test_the_conversations_a_failure_names_in_order_without_repeats():
    finding = failed("run-w01-c1 turn 0 「在吗」: lost", "run-w01-c1 turn 1: lost", "run-w02-c0 turn 0: lost",
                     "other-w01-c1 turn 0: lost")
    assert conversation_ids(finding, "run") == ["run-w01-c1", "run-w02-c0"]


def test_the_last_lines_naming_each_conversation_from_every_log(tmp_path):
    (tmp_path / "rasa-1.log").write_text("start\nREST message from run-w01-c1 timed out\n"
                                         "REST message from run-w01-c10 timed out\n", encoding="utf-8")
    (tmp_path / "actions-2.log").write_text("".join(f"handoff for run-w01-c1 #{n}\n" for n in range(12)),
                                            encoding="utf-8")
    found = excerpts(tmp_path, ["run-w01-c1"], lines_each=3)
    assert found == {"run-w01-c1": ["actions-2: handoff for run-w01-c1 #10", "actions-2: handoff for run-w01-c1 #11",
                                    "rasa-1: REST message from run-w01-c1 timed out"]}  # logs by name, then lines


def test_only_failed_guarantees_get_excerpts(tmp_path):
    passed = Finding("archive", {"missing": 0}, ("missing",))
    assert list(for_findings([passed, failed("run-w00-c0: lost")], tmp_path, "run")) == ["messages"]


def test_tokens_and_passwords_never_reach_the_report():
    line = ('POST http://127.0.0.1:1/conversations/run-w00-c0/trigger_intent?output_channel=latest&token=s3cr3t-T0k '
            'Authorization: Bearer abc.def-ghi amqp://guest:hunter2@127.0.0.1:5672/')
    clean = redacted(line)
    assert "s3cr3t" not in clean and "abc.def" not in clean and "hunter2" not in clean
    assert "output_channel=latest&token=…" in clean and "amqp://guest:…@127.0.0.1" in clean


def test_excerpts_are_redacted(tmp_path):
    (tmp_path / "routing-1.log").write_text("trigger_intent for run-w00-c0?token=abcdef\n", encoding="utf-8")
    assert excerpts(tmp_path, ["run-w00-c0"]) == {"run-w00-c0": ["routing-1: trigger_intent for run-w00-c0?token=…"]}
