"""The grid actions' messages, read from the domain's responses (so the texts live in
domain.yml) with their {placeholders} filled, and their buttons."""
from __future__ import annotations

from typing import Any, Dict

from rasa_sdk.executor import CollectingDispatcher


def render(domain: Dict[str, Any], name: str, **values: Any) -> Dict[str, Any]:
    """The first variant of response `name`: {"text", "buttons"} with values filled in."""
    variants = (domain.get("responses") or {}).get(name) or [{}]
    text = str(variants[0].get("text") or "")
    buttons = [dict(button) for button in variants[0].get("buttons") or []]
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
        for button in buttons:
            button["title"] = str(button.get("title") or "").replace("{" + key + "}", str(value))
    return {"text": text, "buttons": buttons}


def say(dispatcher: CollectingDispatcher, domain: Dict[str, Any], name: str, **values: Any) -> None:
    message = render(domain, name, **values)
    if message["buttons"]:
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
    else:
        dispatcher.utter_message(text=message["text"])
