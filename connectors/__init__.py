"""Custom Rasa input channels (Telegram, WeChat). Referenced from credentials.yml."""
