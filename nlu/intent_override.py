"""Rule-based components that overrule the classifier put their intent on top this way."""
from __future__ import annotations

from typing import Text

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def put_on_top(message: Message, name: Text, confidence: float = 1.0) -> None:
    """`name` becomes the intent; the classifier's ranking stays below it, without a duplicate."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    top = {"name": name, "confidence": confidence}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)
