"""Retries with backoff for the customer-service API, then a record: with a local fake API."""
import asyncio

import httpx

from connectors.undelivered import UndeliveredLog
from connectors.wechat.api import WeChatApiError
from connectors.wechat.sender import CustomerServiceSender


class FlakyApi:
    """Fails with the given errors in turn, then succeeds."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.sent = []

    def send_text(self, openid, text):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((openid, text))


def send(sender, text="你好"):
    return asyncio.run(sender.send_text("her", text))


def make_sender(tmp_path, api, delays):
    async def sleep(seconds):
        delays.append(seconds)

    return CustomerServiceSender(api, UndeliveredLog(tmp_path / "undelivered.db"), attempts=3,
                                 backoff_seconds=0.5, sleep=sleep)


def test_network_errors_are_retried_with_growing_backoff(tmp_path):
    delays = []
    api = FlakyApi(httpx.ConnectError("reset"), WeChatApiError(-1, "system error"))
    assert send(make_sender(tmp_path, api, delays)) is True
    assert api.sent == [("her", "你好")] and delays == [0.5, 1.0]


def test_after_the_last_attempt_the_message_is_recorded(tmp_path):
    delays = []
    api = FlakyApi(*[httpx.ReadTimeout("slow")] * 3)
    assert send(make_sender(tmp_path, api, delays), "专家回复") is False
    [row] = UndeliveredLog(tmp_path / "undelivered.db").list("wechat")
    assert (row.recipient, row.text, row.attempts) == ("her", "专家回复", 3) and "ReadTimeout" in row.error


def test_a_refusal_is_not_retried(tmp_path):
    delays = []
    api = FlakyApi(WeChatApiError(40003, "invalid openid"))
    assert send(make_sender(tmp_path, api, delays)) is False
    assert delays == []
    assert UndeliveredLog(tmp_path / "undelivered.db").list()[0].error == "errcode 40003: invalid openid"
    assert make_sender(tmp_path, FlakyApi(), []).last_failure("her") == ""


def test_without_app_credentials_everything_is_recorded(tmp_path):
    assert send(make_sender(tmp_path, None, [])) is False
    assert "WECHAT_APP_ID" in UndeliveredLog(tmp_path / "undelivered.db").list()[0].error
