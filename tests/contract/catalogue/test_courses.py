"""The course catalogue: its schema, the shipped courses, and how the assistant picks them
(one or two to recommend after an answer, and 「有没有…的课」)."""
from datetime import date

import pytest

from assistant_contract.catalogue.courses import (
    LIFE_STAGES, MIN_SUMMARY, SCHEDULE_NOTE, course, read_courses, recommend, search, subject_of,
)
from assistant_contract.catalogue.sources import CatalogueError
from assistant_contract.catalogue.taxonomy import Taxonomy

SUMMARY = "这门课讲清楚怀孕以后在单位有哪些权利，" * 10  # 190 characters of content


def item(**changes):
    base = {
        "id": "course.pregnancy.x", "title": "孕期职场权益", "life_stage": "pregnancy", "area": "legal",
        "kind": "course", "summary": SUMMARY, "points": ["一", "二", "三"], "audience": "准妈妈",
        "sources": ["《女职工劳动保护特别规定》第五条"], "checked": date(2026, 11, 30),
        "keywords": ["怀孕"], "intents": ["legal_employment"],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems_of(**changes):
    return course(item(**changes), "courses/x.yml#1")[1]


def test_a_well_formed_item_is_a_course_with_no_problem():
    built, problems = course(item(), "courses/x.yml#1")
    assert problems == [] and built.id == "course.pregnancy.x" and built.points == ("一", "二", "三")


def test_a_short_summary_is_refused():
    assert any("needs at least 150" in p for p in problems_of(summary="太短了。" * 10))


@pytest.mark.parametrize("points", [["一", "二"], ["一", "二", "三", "四", "五", "六", "七"]])
def test_fewer_than_three_or_more_than_six_points_are_refused(points):
    assert any("needs 3 to 6 points" in p for p in problems_of(points=points))


@pytest.mark.parametrize("field, value, expected", [
    ("life_stage", "retirement", "unknown life_stage 'retirement'"),
    ("area", "sports", "unknown area 'sports'"),
    ("kind", "video", "unknown kind 'video'"),
    ("id", "pregnancy.x", "id must start with 'course.'"),
])
def test_an_unknown_stage_area_kind_or_id_is_refused(field, value, expected):
    assert any(expected in p for p in problems_of(**{field: value}))


def test_a_course_that_promises_a_recording_is_refused():
    assert any("promises a recording" in p for p in problems_of(summary=SUMMARY + "点击观看视频回放。"))
    assert problems_of(summary=SUMMARY + "每周和孩子打视频电话。") == []  # a video call is not a recording


def test_a_field_of_the_wrong_shape_or_an_unknown_field_is_refused():
    assert "courses/x.yml#1: 'points' must be a list" in problems_of(points="一、二、三")
    assert any("unknown field" in p for p in problems_of(video_url="x"))


def test_a_law_without_an_article_or_a_missing_checked_date_is_refused():
    assert any("without an article" in p for p in problems_of(sources=["《中华人民共和国反家庭暴力法》"]))
    built, problems = course(item(checked=None), "courses/x.yml#1")
    assert built is None and any("'checked'" in p for p in problems)


def test_an_invented_phone_number_is_refused_and_a_hotline_is_not():
    assert any("phone number" in p for p in problems_of(audience="请拨打020-83000000报名"))
    assert problems_of(audience="可拨打12338咨询") == []


def test_the_shipped_catalogue_has_forty_courses_of_substance_over_every_life_stage():
    courses = read_courses()
    assert len(courses) >= 40
    assert {c.life_stage for c in courses} == set(LIFE_STAGES)
    assert all(len(c.summary) >= MIN_SUMMARY and 3 <= len(c.points) <= 6 for c in courses)
    assert all(" " not in c.summary for c in courses)  # folded YAML lines joined without spaces


def test_every_intent_a_course_names_is_in_the_taxonomy():
    intents = set(Taxonomy.from_file().intent_names)
    assert {i for c in read_courses() for i in c.intents} <= intents


def test_a_duplicate_id_or_a_bad_item_in_a_file_refuses_the_folder(tmp_path):
    (tmp_path / "a.yml").write_text(
        "courses:\n  - {id: course.a, title: t, life_stage: marriage, area: legal, kind: article, "
        f"summary: '{SUMMARY}', points: [一, 二, 三], audience: 她, checked: 2026-11-30}}\n"
        "  - {id: course.a, title: t, life_stage: marriage, area: legal, kind: article, "
        f"summary: '{SUMMARY}', points: [一, 二, 三], audience: 她, checked: 2026-11-30}}\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="course id 'course.a' is used twice"):
        read_courses(tmp_path)


def test_a_course_card_says_it_depends_on_the_local_schedule_and_an_article_does_not():
    courses = {c.id: c for c in read_courses()}
    assert SCHEDULE_NOTE in courses["course.marriage.domestic_violence"].card()
    assert SCHEDULE_NOTE not in courses["course.pregnancy.leave_and_allowance"].card()


@pytest.mark.parametrize("question, subject", [("有没有讲产假的课", "产假"), ("有冇教带娃嘅课", "带娃")])
def test_the_subject_of_a_request_for_a_course(question, subject):
    assert subject_of(question) == subject


@pytest.mark.parametrize("question, expected", [
    ("有没有讲产假的课", "course.pregnancy.leave_and_allowance"),
    ("有没有关于家暴的课程", "course.marriage.domestic_violence"),
    ("想学开网店", "course.business.ecommerce"),
    ("有没有防骗的课", "course.later_life.anti_fraud"),
    ("老人大学有什么课", "course.later_life.senior_learning"),
])
def test_asking_for_a_course_by_its_subject_finds_it_first(question, expected):
    assert search(read_courses(), question)[0].id == expected


def test_asking_for_a_course_nobody_offers_finds_none():
    assert search(read_courses(), "有没有编程课") == []


def test_after_an_answer_on_pregnancy_dismissal_the_recommendation_is_about_it():
    found = recommend(read_courses(), area="legal", intent="legal_employment", text="单位知道我怀孕就要辞退我")
    assert 1 <= len(found) <= 2 and found[0].id == "course.pregnancy.workplace_rights"


def test_the_area_alone_recommends_nothing_and_a_course_already_shown_is_not_repeated():
    courses = read_courses()
    assert recommend(courses, area="legal") == []
    again = recommend(courses, intent="legal_employment", text="怀孕被辞退",
                      exclude=["course.pregnancy.workplace_rights"])
    assert "course.pregnancy.workplace_rights" not in [c.id for c in again]
