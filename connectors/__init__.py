"""The assistant's messaging channels: Rasa input channels named in credentials.yml.

    connectors/
      telegram/   the Telegram bot (webhook inside Rasa, or the polling runner)
      wechat/     the WeChat Official Account (公众号) webhook
      webchat/    the web chat page and its socket.io channel (page files in webchat_static/)
      rest_channel.py      the REST channel (`curl`, tests): sender ids checked, kept to its own conversations
      typed_text.py        the one rule for typed text: what she types never reaches Rasa as an intent
      intent_gate.py       that rule for clients that send text: only buttons offered in her conversation pass
      undelivered.py       the record of messages a channel could not deliver (WeChat's; Telegram's store has its own)

A channel with parts of its own is a package of one-job modules, and the package
re-exports its input channel classes, so credentials.yml names the channel
(`connectors.telegram.TelegramInput`), not the module it lives in.

What belongs to no single channel stays here, flat, rather than in a `common/`
package: four small modules, each named for the rule or record it holds, so
`connectors.typed_text` already says what `connectors.common.typed_text` would, with
one folder level less. Flat also keeps the paths that credentials.yml
(`connectors.rest_channel.RestInput`) and the README's security notes
(`connectors/intent_gate.py`, `connectors/typed_text.py`) cite where they were. The
REST channel is a single module, so it needs no package.

Dependencies point one way. Connectors import, of the project, only `nlu.text`
(typed text is judged by the normalizer's rule), the shared contract
(`assistant_contract`: which conversation ids a client may name) and `bot.environment`
(the Rasa side's one reader of the environment, owner of the var-dir rule, which
imports nothing of the project). bot/ never imports connectors/, so the Telegram
polling runner is `python -m connectors.telegram.polling`, not a `python -m bot`
command (tests/connectors/test_dependencies.py).
"""
