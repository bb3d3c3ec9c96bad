"""What the rule components found on a message: the keys they record, in one list.

Each rule component looks at the message for one thing, records what it found
under its key here and changes nothing else; `nlu.intent_decision.IntentDecision`,
last in the pipeline, reads every finding and decides the intent in one place
and one order. Only the crisis verdict is part of the parse output: the crisis
action (actions/crisis.py) reads its danger type.
"""
NOTHING_TO_READ = "nothing_to_read"  # nlu/empty_message.py: empty, spaces or emoji only
ASKS_FOR_CASES = "asks_for_cases"  # nlu/case_request.py: 案例、个案、别人…最后
ASKS_FOR_OFFICE = "asks_for_office"  # nlu/office_request.py: 妇联在哪、电话多少
ONLY_A_PLACE = "only_a_place"  # nlu/office_request.py: "我在顺德", her answer to "你在哪里"
CRISIS = "crisis"  # nlu/crisis_detector.py: the verdict {detected, type, probability, source, phrases}
PERSON_KIND = "person_kind"  # nlu/person_kind.py: {kind, area, words} of the person-kind she names (律师 → legal)
