from nlu.place_extractor import PlaceExtractor
from tests.nlu.components import build, message


def _entities(processed):
    return {e["entity"]: e for e in processed.get("entities") or []}


def test_her_place_becomes_a_place_entity_with_the_full_name(tmp_path):
    extractor, *_ = build(PlaceExtractor, tmp_path)
    (processed,) = extractor.process([message("我住在韶关乐昌，想找区妇联", "find_office")])
    entities = _entities(processed)
    assert entities["place"]["value"] == "广东省韶关市乐昌市"
    assert processed.get("text")[entities["place"]["start"]:entities["place"]["end"]] == "韶关乐昌"
    assert entities["place"]["extractor"] == "PlaceExtractor"
    assert entities["org_level"]["value"] == "county"


def test_messages_without_a_place_are_left_alone(tmp_path):
    extractor, *_ = build(PlaceExtractor, tmp_path)
    (processed,) = extractor.process([message("老公打我怎么办", "legal_domestic_violence")])
    assert not processed.get("entities")


def test_the_rules_file_is_part_of_the_fingerprint(tmp_path):
    rules = tmp_path / "rules.yml"
    rules.write_text("ambiguous_short_names: [和平]\n", encoding="utf-8")
    before = PlaceExtractor.fingerprint_addon({"rules_path": str(rules)})
    rules.write_text("ambiguous_short_names: [和平, 光明]\n", encoding="utf-8")
    assert PlaceExtractor.fingerprint_addon({"rules_path": str(rules)}) != before
