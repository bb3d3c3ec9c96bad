"""WeChat settings from the environment: defaults, validation, and a channel that stays closed."""
import pytest

from connectors.wechat.channel import WeChatInput
from connectors.wechat.settings import WECHAT_API_BASE_URL, WeChatSettings

AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"


def test_values_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    settings = WeChatSettings.from_env({"WECHAT_TOKEN": " token ", "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s",
                                        "WECHAT_AES_KEY": AES_KEY})
    assert (settings.token, settings.api_base_url, settings.reply_deadline_seconds) == ("token", WECHAT_API_BASE_URL, 4.5)
    assert settings.configured and settings.can_push and settings.store_path == tmp_path / "wechat.db"


@pytest.mark.parametrize("environ, problem", [
    ({"WECHAT_TOKEN": "t", "WECHAT_APP_ID": "wx1", "WECHAT_AES_KEY": "short"}, "43-character"),
    ({"WECHAT_TOKEN": "t", "WECHAT_AES_KEY": AES_KEY}, "WECHAT_APP_ID"),
    ({"WECHAT_TOKEN": "t", "WECHAT_REPLY_DEADLINE_SECONDS": "6"}, "between 0 and 5"),
    ({"WECHAT_TOKEN": "t", "WECHAT_REPLY_DEADLINE_SECONDS": "soon"}, "must be a number"),
])
def test_bad_values_are_refused_with_the_reason(environ, problem):
    with pytest.raises(ValueError, match=problem):
        WeChatSettings.from_env(environ)


def test_a_misconfigured_channel_stays_closed_instead_of_stopping_rasa(monkeypatch, caplog):
    monkeypatch.setenv("WECHAT_TOKEN", "t")
    monkeypatch.setenv("WECHAT_AES_KEY", "short")
    channel = WeChatInput.from_credentials(None)
    assert channel.get_output_channel() is None
    assert any("WECHAT_AES_KEY" in record.getMessage() for record in caplog.records)
