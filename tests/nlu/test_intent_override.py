from nlu.intent_override import put_on_top
from tests.nlu.components import message


def test_the_overruling_intent_goes_on_top_and_the_ranking_keeps_no_duplicate():
    overruled = message("顺德区妇联电话", "legal_aid", [{"name": "legal_aid", "confidence": 0.6},
                                                   {"name": "find_office", "confidence": 0.3}])
    put_on_top(overruled, "find_office")
    assert overruled.get("intent") == {"name": "find_office", "confidence": 1.0}
    assert [r["name"] for r in overruled.get("intent_ranking")] == ["find_office", "legal_aid"]
