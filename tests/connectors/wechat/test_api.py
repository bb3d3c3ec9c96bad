"""The customer-service API client against the fake WeChat API over real HTTP."""
import json

import pytest

from connectors.wechat.api import WeChatApiError, WeChatMessageApi
from tests.connectors.wechat.fake_api import APP_ID, APP_SECRET, FakeWeChatApi


@pytest.fixture
def fake_api():
    api = FakeWeChatApi()
    yield api
    api.close()


def test_the_token_is_fetched_once_and_the_text_goes_as_utf8(fake_api):
    api = WeChatMessageApi(APP_ID, APP_SECRET, fake_api.base_url)
    api.send_text("her-openid", "你好，律师回复了")
    api.send_text("her-openid", "第二条")
    assert fake_api.token_requests == 1
    assert fake_api.texts_for("her-openid") == ["你好，律师回复了", "第二条"]
    assert "你好".encode("utf-8") in fake_api.raw_bodies[0]  # not \\u escapes, which WeChat would show
    assert json.loads(fake_api.raw_bodies[0])["msgtype"] == "text"


def test_a_token_invalidated_elsewhere_is_renewed_once(fake_api):
    api = WeChatMessageApi(APP_ID, APP_SECRET, fake_api.base_url)
    api.send_text("her-openid", "一")
    fake_api.expire_token()
    api.send_text("her-openid", "二")
    assert fake_api.token_requests == 2 and fake_api.texts_for("her-openid") == ["一", "二"]


def test_a_refusal_carries_wechats_errcode(fake_api):
    api = WeChatMessageApi(APP_ID, APP_SECRET, fake_api.base_url)
    fake_api.fail_next("window")
    with pytest.raises(WeChatApiError) as refused:
        api.send_text("her-openid", "专家回复")
    assert refused.value.errcode == 45015 and "out of time" in refused.value.errmsg


def test_wrong_credentials_are_refused_with_the_errcode(fake_api):
    with pytest.raises(WeChatApiError) as refused:
        WeChatMessageApi(APP_ID, "wrong-secret", fake_api.base_url).send_text("her-openid", "x")
    assert refused.value.errcode == 40125


def test_the_app_secret_and_token_never_reach_the_log(fake_api, caplog):
    import logging

    with caplog.at_level(logging.INFO):
        WeChatMessageApi(APP_ID, APP_SECRET, fake_api.base_url).send_text("her-openid", "你好")
    assert APP_SECRET not in caplog.text and "fake-access-token" not in caplog.text
