"""Settings come from credentials.yml, else the environment; nothing set means disabled."""
import pytest

from connectors.telegram.settings import DEFAULT_API_BASE_URL, TelegramSettings


def test_the_environment_fills_what_credentials_leave_out(tmp_path):
    environ = {"TELEGRAM_BOT_TOKEN": "1:env", "TELEGRAM_WEBHOOK_SECRET": "env-secret",
               "TELEGRAM_WEBHOOK_URL": "https://x.example/webhooks/telegram/webhook",
               "ASSISTANT_VAR_DIR": str(tmp_path)}
    settings = TelegramSettings.from_credentials({"bot_token": "1:file", "webhook_secret": None}, environ)
    assert (settings.bot_token, settings.webhook_secret) == ("1:file", "env-secret")
    assert settings.webhook_url.startswith("https://x.example")
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.problem() is None


def test_nothing_set_means_disabled_with_the_missing_name(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    settings = TelegramSettings.from_credentials(None, {})
    assert settings.problem() == "TELEGRAM_BOT_TOKEN is not set"
    assert settings.store_path == tmp_path / "telegram.db"
    assert TelegramSettings.from_credentials({"bot_token": "1:x"}, {}).problem() == "TELEGRAM_WEBHOOK_SECRET is not set"


@pytest.mark.parametrize("secret", ["has space", "中文", "a" * 257, "semi;colon"])
def test_a_secret_telegram_would_refuse_disables_the_channel_with_a_reason(secret):
    settings = TelegramSettings.from_credentials({"bot_token": "1:x", "webhook_secret": secret, "store_path": "/tmp/t.db"}, {})
    assert settings.problem().startswith("TELEGRAM_WEBHOOK_SECRET may only contain")
