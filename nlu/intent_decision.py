"""The last word on a message's intent, decided in one place.

The intent classifier (DIET blended with an n-gram model, `IntentEnsemble`)
ranks the intents; the rule components before this one only record what they
found (`nlu/findings.py`). This component, last in the pipeline, decides the
intent from the classifier's ranking and those findings, first match wins:

1. Danger now: the crisis detector's verdict → `crisis_<type>`, with confidence
   1.0 from the lexicon, else the model's probability (at least 0.5). Nothing
   may hide a crisis, not even an empty-looking or unsure message. One veto: on
   a message that is nothing but a place name ("我在顺德") the model alone
   cannot raise a crisis (it learned that "我在…" starts many crisis messages);
   the lexicon still can. The vetoed verdict is what the parse output shows.
2. Nothing to read (empty, emoji only) → `nlu_fallback` (1.0): the
   clarification asks her to say more.
3. An exit command in any wording ("安全退出", "退出", "清空聊天", "他过来了 快删";
   `nlu/safe_exit.py`) → `safe_exit` (1.0): with him in the room it must never
   depend on how sure the classifier is, nor become a request for a person.
   Read here from the text, as the pipeline's list of finding components was
   not to change with this step. A short worry that he sees the chat ("佢睇唔睇到㗎",
   "他会翻我手机"), when the classifier is unsure, is `safe_exit` too: the
   action gives the ways to keep the chat hidden and goes on talking.
   A continuation code in her message ("接续码 7KQ2M-XD94P", or the dashed code
   alone; assistant_contract.continuation) → `continue_case`; the word 接续码 without
   a code, or her wish to go on in another app ("我想换到微信上继续聊";
   nlu/continuation_request.py) → `ask_continuation_code` (both 1.0). These two
   intents exist only here (`TEXT_RULE_INTENTS`), never in the classifier: a code
   is not something it can learn, and trained on the wordings it took 「都是微信转的」
   for a wish to move.
4. A question where the federation is or how to reach it → `find_office`.
5. Nothing but a place name, her answer to "你在哪里" → `inform_place`.
6. An explicit request for cases → `ask_case`, whatever topic it names.
   (4–6 are explicit wording the classifier follows less well than the topic
   words; none of them matches an empty message, 4 and 5 cannot both hold, and a
   case request is never only a place.)
7. Otherwise the classifier's top intent, unless it is unsure: below
   `threshold`, or less than `ambiguity_threshold` ahead of the runner-up →
   `nlu_fallback` (confidence `threshold`), as Rasa's FallbackClassifier did.
   A crisis intent that the detector did not confirm (negated, past) is ruled
   out first when it is the top intent, or one of the two an unsure classifier
   hesitated between: the crisis intents leave the ranking and the best calm
   intent stands if the classifier is sure of it among the calm ones;
   otherwise `nlu_fallback` (confidence 1 minus that of the ruled-out top
   intent, or `threshold` when the classifier was unsure anyway).

Below the winner, the ranking keeps the other rule intents that matched and
then the classifier's ranking, with `nlu_fallback` first when the classifier
was unsure (only `nlu_fallback` when there is nothing to read). The order is
the one the pipeline had when six components rewrote the intent in turn; it
lives here so that the thresholds exist once and the order can be read.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant_contract.continuation import code_in

from nlu.continuation_request import asks_to_move
from nlu.findings import ASKS_FOR_CASES, ASKS_FOR_OFFICE, CRISIS, NOTHING_TO_READ, ONLY_A_PLACE
from nlu.normalizer import ORIGINAL_TEXT
from nlu.safe_exit import asks_to_exit, fears_being_read, goes_through_her_phone

FALLBACK_INTENT = "nlu_fallback"
FIND_OFFICE = "find_office"
INFORM_PLACE = "inform_place"
CASE_INTENT = "ask_case"
SAFE_EXIT = "safe_exit"
CONTINUE_CASE = "continue_case"
ASK_CONTINUATION_CODE = "ask_continuation_code"
TEXT_RULE_INTENTS = (CONTINUE_CASE, ASK_CONTINUATION_CODE)  # decided here from her text, never trained
CRISIS_PREFIX = "crisis_"
# "佢睇唔睇到㗎", "他会不会看到": a worry that short is about this chat; a longer message that
# mentions being seen ("怕同事看到我身上的伤 不想上班") is about something else.
SHORT_WORRY = 16
LONG_WORRY = 40  # characters: a message saying outright that he goes through her phone

Ranking = List[Dict[str, Any]]


def crisis_intent(crisis_type: str) -> str:
    return f"{CRISIS_PREFIX}{crisis_type}"


def _is_crisis(item: Dict[str, Any]) -> bool:
    return str(item.get("name") or "").startswith(CRISIS_PREFIX)


def _on_top(ranking: Ranking, name: str, confidence: float) -> Ranking:
    """`name` first; the ranking stays below it, without a duplicate."""
    return [{"name": name, "confidence": confidence}] + [r for r in ranking if r.get("name") != name]


@dataclass(frozen=True)
class Findings:
    """What the rule components recorded on one message."""

    nothing_to_read: bool = False
    asks_for_office: bool = False
    only_a_place: bool = False
    asks_for_cases: bool = False
    asks_to_exit: bool = False
    fears_being_read: bool = False
    sends_code: bool = False
    asks_to_move: bool = False
    crisis: Optional[Dict[str, Any]] = None

    @classmethod
    def of(cls, message: Message) -> "Findings":
        text = (message.get(TEXT) or "").strip()
        typed = message.get(ORIGINAL_TEXT) or text  # a code as she typed it, not as the normaliser read it
        return cls(
            nothing_to_read=bool(message.get(NOTHING_TO_READ)),
            asks_to_exit=asks_to_exit(message.get(TEXT) or ""),
            fears_being_read=fears_being_read(text) and (len(text) <= SHORT_WORRY
                                                         or goes_through_her_phone(text) and len(text) <= LONG_WORRY),
            sends_code=code_in(typed) is not None,
            asks_to_move=asks_to_move(text),
            asks_for_office=bool(message.get(ASKS_FOR_OFFICE)),
            only_a_place=bool(message.get(ONLY_A_PLACE)),
            asks_for_cases=bool(message.get(ASKS_FOR_CASES)),
            crisis=message.get(CRISIS),
        )


@dataclass(frozen=True)
class Decision:
    intent: Dict[str, Any]
    ranking: Ranking
    crisis: Optional[Dict[str, Any]]  # the verdict, after the place-only veto


class IntentRules:
    """The decision itself, free of Rasa's graph so that it can be read and tested alone."""

    def __init__(self, threshold: float, ambiguity_threshold: float) -> None:
        self.threshold = float(threshold)
        self.ambiguity_threshold = float(ambiguity_threshold)

    def unsure(self, confidence: float, ranking: Ranking) -> bool:
        """Too little confidence, or too close to the runner-up (none: 0)."""
        runner_up = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
        top = float(ranking[0]["confidence"]) if ranking else confidence
        return confidence < self.threshold or top - runner_up < self.ambiguity_threshold

    def decide(self, intent: Dict[str, Any], ranking: Ranking, found: Findings) -> Decision:
        """The steps of the module docstring, first match wins."""
        verdict = self._after_veto(found)
        unsure = self.unsure(float(intent.get("confidence") or 0.0), ranking)
        # "佢睇唔睇到㗎": the safe exit action gives the privacy advice; a classifier that reads the
        # message as nothing it knows, or as a danger nothing confirms ("…偷睇我電話 佢會唔會見到我同你傾偈"
        # → crisis_violence 0.12), is unsure too
        no_reading = intent.get("name") in (FALLBACK_INTENT, "out_of_scope") or (
            _is_crisis(intent) and not (verdict and verdict.get("detected")))  # a crisis reading nothing confirms
        worry = found.fears_being_read and (unsure or no_reading)
        rules = [name for name, matched in ((SAFE_EXIT, (found.asks_to_exit or worry) and not found.nothing_to_read),
                                            (CONTINUE_CASE, found.sends_code),
                                            (ASK_CONTINUATION_CODE, found.asks_to_move),
                                            (FIND_OFFICE, found.asks_for_office),
                                            (INFORM_PLACE, found.only_a_place),
                                            (CASE_INTENT, found.asks_for_cases)) if matched]
        under = self._under_the_winner(ranking, unsure, found.nothing_to_read, rules)
        if verdict and verdict.get("detected"):  # 1
            confidence = 1.0 if verdict.get("source") == "lexicon" else max(float(verdict["probability"]), 0.5)
            ranked = _on_top(under, crisis_intent(verdict["type"]), confidence)
            return Decision(ranked[0], ranked, verdict)
        if found.nothing_to_read or rules:  # 2–6
            return Decision(under[0], under, verdict)
        top, ranked = self._classifier_answer(intent, ranking, unsure)  # 7
        return Decision(top, ranked, verdict)

    def _under_the_winner(self, ranking: Ranking, unsure: bool, nothing_to_read: bool, rules: List[str]) -> Ranking:
        """The rule intents that matched, first one on top, over the classifier's ranking
        (`nlu_fallback` first when unsure); only `nlu_fallback` when there is nothing to read."""
        if nothing_to_read:
            return [{"name": FALLBACK_INTENT, "confidence": 1.0}]
        under = ([{"name": FALLBACK_INTENT, "confidence": self.threshold}] if unsure else []) + ranking
        for name in reversed(rules):
            under = _on_top(under, name, 1.0)
        return under

    @staticmethod
    def _after_veto(found: Findings) -> Optional[Dict[str, Any]]:
        verdict = found.crisis
        if verdict and verdict.get("detected") and verdict.get("source") == "model" and found.only_a_place:
            return dict(verdict, detected=False, type=None, source=None)
        return verdict

    def _classifier_answer(self, intent: Dict[str, Any], ranking: Ranking, unsure: bool) -> Tuple[Dict[str, Any], Ranking]:
        """Step 6: the classifier's answer with unconfirmed crisis intents ruled out."""
        fallback = {"name": FALLBACK_INTENT, "confidence": self.threshold}
        crisis_in_play = any(_is_crisis(r) for r in ranking[:2]) if unsure else _is_crisis(intent)
        if not crisis_in_play:
            return (fallback, [fallback] + ranking) if unsure else (intent, ranking)
        calm = [dict(r) for r in ranking if not _is_crisis(r) and r.get("name") != FALLBACK_INTENT]
        if calm and not self.unsure(float(calm[0]["confidence"]), calm):
            return calm[0], calm
        if unsure:
            return fallback, [fallback] + ranking
        ruled_out = {"name": FALLBACK_INTENT, "confidence": 1.0 - float(intent.get("confidence") or 0.0)}
        return ruled_out, [ruled_out] + calm


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class IntentDecision(GraphComponent):
    """Sets the intent and its ranking (and the crisis verdict after its veto); last in the pipeline."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # below this confidence the classifier's top intent becomes nlu_fallback ...
            "threshold": 0.1,
            # ... and when it is less than this ahead of the runner-up
            "ambiguity_threshold": 0.01,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._rules = IntentRules(config["threshold"], config["ambiguity_threshold"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentDecision":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = Findings.of(message)
            intent = message.get(INTENT) or {"name": None, "confidence": 0.0}
            ranking = [dict(item) for item in message.get(INTENT_RANKING_KEY) or []]
            decision = self._rules.decide(intent, ranking, found)
            message.set(INTENT, decision.intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, decision.ranking, add_to_output=True)
            if decision.crisis is not found.crisis:
                message.set(CRISIS, decision.crisis, add_to_output=True)
        return messages
