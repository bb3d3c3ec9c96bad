import json

from bot.taxonomy import load_taxonomy
from bot.triage import Triage, read_inputs


class FakeParser:
    """Stands in for the model: maps a text to a fixed parse."""

    def __init__(self, parses):
        self.parses = parses
        self.seen = []

    def parse(self, text):
        self.seen.append(text)
        return self.parses.get(text, {"intent": {"name": "nlu_fallback", "confidence": 1.0}})


def test_inputs_may_be_json_objects_or_plain_lines_and_keep_their_order():
    lines = ['{"id": "a7", "text": "抚养费"}\n', "我想离婚\n", "\n", '{"id": 3, "text": "x"}']
    items = list(read_inputs(lines))
    assert [(i.id, i.text) for i in items] == [("a7", "抚养费"), (2, "我想离婚"), (3, ""), (3, "x")]


def test_malformed_lines_are_reported_not_dropped():
    items = list(read_inputs(['{"id": 1, "text": ', '{"id": 2}', "[1,2]"]))
    assert [bool(i.error) for i in items] == [True, True, False]
    assert items[2].text == "[1,2]"


def test_result_has_the_documented_fields():
    parser = FakeParser({
        "老公打我，帮我找个律师": {
            "intent": {"name": "legal_domestic_violence", "confidence": 0.81234},
            "crisis": {"detected": False},
        }
    })
    result = Triage(parser, load_taxonomy()).classify(next(read_inputs(["老公打我，帮我找个律师"])))
    data = json.loads(result.to_json())
    assert data == {
        "id": 1, "text": "老公打我，帮我找个律师", "category": "legal",
        "intent": "legal_domestic_violence", "confidence": 0.8123, "crisis": False,
        "wants_human": True, "answers": [],
    }


def test_crisis_and_null_category():
    parser = FakeParser({
        "救命": {"intent": {"name": "crisis_violence", "confidence": 1.0}, "crisis": {"detected": True}},
        "你好": {"intent": {"name": "greet", "confidence": 0.9}},
    })
    triage = Triage(parser, load_taxonomy())
    crisis, greeting = (triage.classify(i) for i in read_inputs(["救命", "你好"]))
    assert crisis.crisis and crisis.category == "legal"
    assert greeting.category is None and not greeting.crisis


def test_a_huge_message_is_cut_for_the_model_but_echoed_whole():
    parser = FakeParser({})
    text = "很" * 50_000
    result = Triage(parser, load_taxonomy()).classify(next(read_inputs([text])))
    assert len(parser.seen[0]) == 20_000 and result.text == text


def test_an_error_line_is_not_sent_to_the_model():
    parser = FakeParser({})
    result = Triage(parser, load_taxonomy()).classify(next(read_inputs(['{"text": 5}'])))
    assert parser.seen == [] and result.intent is None and "text" in result.error


def test_answers_come_from_the_finder_with_the_message_area():
    parser = FakeParser({"抚养费": {"intent": {"name": "legal_family_property", "confidence": 0.9}}})
    calls = []

    def finder(text, category):
        calls.append((text, category))
        return [{"id": "legal.divorce.child_support", "score": 0.8}]

    result = Triage(parser, load_taxonomy(), finder).classify(next(read_inputs(["抚养费"])))
    assert calls == [("抚养费", "legal")]
    assert result.answers == [{"id": "legal.divorce.child_support", "score": 0.8}]
