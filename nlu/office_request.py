"""Where-is-the-federation questions, and a bare place name as her answer.

"顺德区妇联电话多少" names an office and asks how to reach it: `find_office`,
whatever topic words the classifier followed. "我在顺德" after "你在哪里" is a
place and nothing else: `inform_place`. A message that also says what happened
("我在顺德，老公打我") is neither. This component only records the two findings;
`IntentDecision` turns them into the intent, after a crisis, and uses "only a
place" to keep the crisis model alone from raising a crisis on "我在顺德".
The two cannot both hold: an office question names 妇联, which is neither a
place nor a filler word.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.findings import ASKS_FOR_OFFICE, ONLY_A_PLACE
from nlu.place_extractor import PLACE_ENTITY
from nlu.place_matcher import DEFAULT_RULES, read_rules

OFFICE = r"(妇联|妇女联合会|妇女之家|妇联组织)"
ASKS_WHERE = (r"(在哪|哪里|哪儿|哪个位置|地址|电话|号码|怎么(走|去|找|联系)|位置|联系方式|上班时间|几点上班"
              r"|几点下班|开门|办公时间|离我最近|最近的|附近的|附近有|导航|地图)")
# "找组织" is the service's own name for it (南粤女声+ has a 找组织 button)
FIND_ORGANISATION = r"(找|搵|揾|查)(一下|下)?(妇联)?(组织|組織)"
DEFAULT_PATTERNS = [rf"{OFFICE}.{{0,12}}{ASKS_WHERE}", rf"{ASKS_WHERE}.{{0,12}}{OFFICE}", FIND_ORGANISATION]
_PUNCTUATION = re.compile(r"[\s，。！？、,.!?~～…：:；;]+")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class OfficeRequestDetector(GraphComponent):
    """Records whether she asks where (or how to reach) the federation is, and
    whether the message is nothing but a place name."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"patterns": DEFAULT_PATTERNS, "rules_path": str(DEFAULT_RULES)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._pattern = re.compile("|".join(f"(?:{p})" for p in config["patterns"]))
        rules = read_rules(Path(config.get("rules_path") or DEFAULT_RULES))
        fillers = sorted(rules["filler_words"], key=len, reverse=True)
        self._fillers = re.compile("|".join(re.escape(f) for f in fillers)) if fillers else None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "OfficeRequestDetector":
        return cls(config)

    def _only_a_place(self, text: Text, place: Dict[Text, Any]) -> bool:
        rest = text[: place.get("start", 0)] + text[place.get("end", 0):]
        if self._fillers is not None:
            rest = self._fillers.sub("", rest)
        return not _PUNCTUATION.sub("", rest)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            places = [e for e in message.get(ENTITIES) or [] if e.get("entity") == PLACE_ENTITY]
            message.set(ASKS_FOR_OFFICE, bool(self._pattern.search(text)))
            message.set(ONLY_A_PLACE, bool(places) and "start" in places[0] and self._only_a_place(text, places[0]))
        return messages
