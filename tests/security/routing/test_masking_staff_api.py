"""Finding 9: staff got her phone and ID numbers unmasked from the API while the console
masked them, and the masking missed dotted, spaced, full-width and Chinese-numeral phone
numbers, WeChat ids, e-mail addresses, bank cards and room numbers.

One masking function serves the console, the API and every export; only admins and the
expert holding her handoff see what she wrote."""
import yaml
from fastapi.testclient import TestClient

from routing import cli, lifecycle
from routing.console.models import NluCorrection
from routing.models import Handoff, User
from tests.routing.console_support import login, open_handoff
from tests.security.routing.attack_support import api_token

SECRETS = ["13812345678", "138.1234.5678", "１３８１２３４５６７８", "一三八一二三四五六七八", "幺三八幺二三四五六七八",
           "wxid_abc12345", "lily.chen@example.com", "6222 0212 3456 7890 123", "502室", "3栋502",
           "44010619900101123X"]
HER_WORDS = ("我电话13812345678，也可以打138.1234.5678或１３８１２３４５６７８，老公记的是一三八一二三四五六七八，"
             "奶奶说幺三八幺二三四五六七八。微信号：wxid_abc12345，邮箱lily.chen@example.com，"
             "工资卡6222 0212 3456 7890 123，住502室，娘家3栋502，身份证44010619900101123X")


def handoff_with_her_words(sessions):
    """Assigned to a lawyer, whoever that is; her words in the summary, the transcript and the contact."""
    return open_handoff(sessions, conversation="woman-9", summary=HER_WORDS, contact="微信 wxid_abc12345",
                        transcript=[{"role": "user", "text": HER_WORDS}, {"role": "bot", "text": "收到"}])


def assert_masked(text: str, who: str) -> None:
    for secret in SECRETS:
        assert secret not in text, (who, secret)


def test_staff_get_masked_text_from_every_api_endpoint(console_app, sessions):
    handoff_id = handoff_with_her_words(sessions)
    client = TestClient(console_app)
    for username in ("staff", "boss"):
        headers = api_token(console_app, username, client=client)
        transcript = client.get("/api/v1/conversations/woman-9/transcript", headers=headers)
        assert transcript.status_code == 200 and "[电话已隐藏]" in transcript.text
        assert_masked(transcript.text, username)
        detail = client.get(f"/api/v1/handoffs/{handoff_id}", headers=headers)
        assert detail.status_code == 200
        assert_masked(detail.text, username)
        listed = client.get("/api/v1/handoffs", headers=headers)
        assert listed.status_code == 200 and handoff_id in listed.text
        assert_masked(listed.text, username)


def test_the_holder_and_admins_see_what_she_wrote(console_app, sessions):
    handoff_id = handoff_with_her_words(sessions)
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        lifecycle.claim(db, handoff, handoff.assignee)
        holder = handoff.assignee.username
    client = TestClient(console_app)
    for username in (holder, "root"):
        detail = client.get(f"/api/v1/handoffs/{handoff_id}", headers=api_token(console_app, username, client=client))
        assert "13812345678" in detail.text and "wxid_abc12345" in detail.text, username


def test_the_console_masks_every_written_variant_for_colleagues(console_app, sessions):
    handoff_id = handoff_with_her_words(sessions)
    with sessions() as db:
        holder = db.get(Handoff, handoff_id).assignee.username
    colleague = "lawyer2" if holder == "lawyer1" else "lawyer1"
    for username in (colleague, "boss", "staff"):
        page = login(console_app, username).get(f"/console/handoffs/{handoff_id}")
        assert page.status_code == 200
        assert_masked(page.text, username)


def test_exported_corrections_are_masked_even_if_stored_before_the_better_masking(
        console_app, sessions, database_url, tmp_path, monkeypatch):
    with sessions() as db, db.begin():
        author = db.query(User).filter_by(username="staff").one()
        db.add(NluCorrection(sender_id="woman-9", event_id=1, text="加我微信号：wxid_abc12345 或打138.1234.5678",
                             predicted_intent="greet", intent="legal_aid", author_id=author.id))
    monkeypatch.setenv("ROUTING_DATABASE_URL", database_url)
    out = tmp_path / "corrections.yml"
    assert cli.main(["export-corrections", "--out", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert "wxid_abc12345" not in written and "138.1234.5678" not in written
    assert yaml.safe_load(written)["nlu"][0]["intent"] == "legal_aid"
