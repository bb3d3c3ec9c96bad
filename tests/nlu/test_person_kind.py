"""The kind of person she names decides an area."""
from pathlib import Path

import pytest

from nlu.findings import PERSON_KIND
from nlu.person_kind import PersonKindDetector, PersonKinds
from nlu.text import normalize
from tests.nlu.components import build, message


@pytest.fixture(scope="module")
def kinds():
    return PersonKinds.from_file()


@pytest.mark.parametrize(
    "text, area",
    [
        ("帮我找个律师", "legal"),
        ("need a lawyer", "legal"),
        ("能不能安排心理专家跟我聊一下", "care"),
        ("想约个心理咨询师", "care"),
        ("I want to talk to a counselor", "care"),
        ("有没有家庭教育指导师", "family_education"),
        ("想请家庭教育老师上门", "family_education"),
        ("有没有创业导师带一下", "entrepreneurship"),
        ("女企业家协会怎么加入", "entrepreneurship"),
        ("有冇律師可以傾下", "legal"),  # traditional, normalised first
    ],
)
def test_a_named_person_kind_gives_its_area(kinds, text, area):
    assert kinds.named_in(normalize(text)).area == area


@pytest.mark.parametrize("text", ["转人工", "老师说孩子上课睡觉", "找个专家聊聊", "离婚后孩子归谁"])
def test_no_kind_or_an_ambiguous_one_gives_no_area(kinds, text):
    assert kinds.named_in(normalize(text)) is None


def test_the_more_specific_kind_wins(kinds):
    assert kinds.named_in("心理老师").kind == "心理咨询师"


def test_an_unknown_area_is_refused():
    with pytest.raises(ValueError, match="unknown area"):
        PersonKinds([{"kind": "厨师", "area": "cooking", "patterns": ["厨师"]}])


def test_the_finding_is_recorded_in_the_parse_and_the_intent_left_alone(tmp_path):
    detector, *_ = build(PersonKindDetector, tmp_path)
    (found, none, payload) = detector.process(
        [message("帮我找个律师", "request_human"), message("你好"), message('/request_human{"x": "律师"}')])
    assert found.get(PERSON_KIND) == {"kind": "律师", "area": "legal", "words": "律师"}
    assert found.get("intent")["name"] == "request_human"
    assert none.get(PERSON_KIND) is None and payload.get(PERSON_KIND) is None
    assert PERSON_KIND in found.as_dict(only_output_properties=True)


def test_a_changed_kinds_file_changes_the_cache_fingerprint(tmp_path):
    path = tmp_path / "kinds.yml"
    path.write_text(Path(PersonKindDetector.get_default_config()["kinds_path"]).read_text(encoding="utf-8"), encoding="utf-8")
    before = PersonKindDetector.fingerprint_addon({"kinds_path": str(path)})
    path.write_text(path.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert PersonKindDetector.fingerprint_addon({"kinds_path": str(path)}) != before


def _kinds_file(tmp_path, text):
    path = tmp_path / "person_kinds.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_person_kinds_pass_their_schema():
    assert PersonKinds.from_file().named_in("帮我找个律师").area == "legal"


@pytest.mark.parametrize("text, fault", [
    ("kinds:\n  - {kind: 律师, area: legal, patterns: 律师}\n", "must be a list"),
    ("kinds:\n  - {kind: 律师, area: law, patterns: [律师]}\n", "area"),
    ("kinds:\n  - {kind: 律师, patterns: [律师]}\n", "area"),
    ("kinds:\n  - {kind: 律师, area: legal, patterns: []}\n", "patterns"),
    ("kinds:\n  - {kind: 律师, area: legal, patterns: [律师], colour: red}\n", "colour"),
    ("kinds: []\n", "kinds"),
    ("", "person_kinds.yml"),
])
def test_a_person_kinds_file_that_breaks_a_rule_is_refused_saying_where(tmp_path, text, fault):
    with pytest.raises(ValueError, match=fault):
        PersonKinds.from_file(_kinds_file(tmp_path, text))
