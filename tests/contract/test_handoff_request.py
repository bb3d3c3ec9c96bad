"""A request for a person is cut to what the routing backend accepts, never refused for its size."""
import json

from assistant_contract.handoff_request import (
    LIMITS, MAX_BODY_BYTES, TRANSCRIPT_LINE_MAX_CHARS, TRANSCRIPT_MAX_LINES, request_body,
)


def body(**changes):
    fields = dict(conversation_id="woman-1", channel="telegram", category="legal", intent="legal_divorce",
                  urgent=False, summary="想离婚，孩子两岁", transcript=[{"role": "user", "text": "想离婚"}])
    return request_body(**{**fields, **changes})


def test_an_ordinary_request_goes_as_it_is():
    assert body() == {"conversation_id": "woman-1", "channel": "telegram", "category": "legal",
                      "intent": "legal_divorce", "urgent": False, "summary": "想离婚，孩子两岁",
                      "transcript": [{"role": "user", "text": "想离婚"}], "region": None}


def test_long_fields_are_cut_with_a_mark_not_refused():
    cut = body(summary="他打我" * 2000, region="广东省" * 100)
    assert len(cut["summary"]) == LIMITS["summary"] and cut["summary"].endswith("…")
    assert len(cut["region"]) == LIMITS["region"]


def test_the_newest_transcript_lines_are_kept_and_only_hers_and_the_bots():
    lines = [{"role": "user", "text": f"第{n}条"} for n in range(150)] + [{"role": "system", "text": "内部"}]
    sent = body(transcript=lines + [{"role": "bot", "text": "好的", "time": 1.0}])["transcript"]
    assert len(sent) == TRANSCRIPT_MAX_LINES and sent[-1] == {"role": "bot", "text": "好的"}
    assert sent[0]["text"] == "第51条" and all(line["role"] in ("user", "bot") for line in sent)


def test_a_very_long_message_is_cut_and_the_whole_body_stays_under_the_backends_limit():
    sent = body(summary="他打我，" * 3000, transcript=[{"role": "user", "text": "字" * 20_000}] * 120)
    assert sent["transcript"] and all(len(line["text"]) == TRANSCRIPT_LINE_MAX_CHARS for line in sent["transcript"])
    assert sent["transcript"][-1]["text"].endswith("…")
    assert len(json.dumps(sent, ensure_ascii=False).encode("utf-8")) < MAX_BODY_BYTES


def test_an_unknown_area_goes_as_none():
    assert body(category="nonsense")["category"] is None and body(category=None)["category"] is None


def test_contact_is_sent_only_when_she_gave_it_and_agreed():
    assert "contact" not in body()
    agreed = body(contact="13812345678", contact_consented_at="2026-11-30T12:00:00+00:00")
    assert agreed["contact"] == "13812345678" and agreed["contact_consented_at"] == "2026-11-30T12:00:00+00:00"


def test_a_contact_without_her_consent_is_left_out():
    sent = body(contact="13812345678")
    assert "contact" not in sent and "contact_consented_at" not in sent
    assert "contact" not in body(contact="13812345678", contact_consented_at="")
