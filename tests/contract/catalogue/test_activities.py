"""The activities catalogue: sample data marked as such, its schema, and what is on for her."""
from datetime import datetime, timedelta, timezone

import pytest

from assistant_contract.catalogue.activities import SAMPLE_NOTE, activity, read_activities, upcoming
from assistant_contract.catalogue.sources import CatalogueError

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=CHINA)


def item(**changes):
    base = {
        "id": "activity.x", "title": "妈妈岗招聘会", "organiser": "某区妇联（示例）", "city": "佛山市",
        "place": "某服务中心（示例地址）", "start": "2026-12-12T09:30:00+08:00", "end": "2026-12-12T12:00:00+08:00",
        "capacity": 50, "audience": "妈妈", "area": "entrepreneurship", "description": "现场招聘。",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems_of(**changes):
    return activity(item(**changes), "activities.yml#1", sample=True)[1]


def test_a_well_formed_item_has_no_problem_and_keeps_china_time():
    built, problems = activity(item(), "activities.yml#1", sample=True)
    assert problems == [] and built.start == datetime(2026, 12, 12, 9, 30, tzinfo=CHINA)


def test_an_activity_that_ends_before_it_starts_is_refused():
    assert any("ends before it starts" in p for p in problems_of(end="2026-12-12T08:00:00+08:00"))


def test_a_time_without_its_offset_is_refused():
    assert any("with their offset" in p for p in problems_of(start="2026-12-12 09:30"))


@pytest.mark.parametrize("capacity", [0, -5, "二十", True])
def test_a_capacity_that_is_not_a_positive_whole_number_is_refused(capacity):
    assert problems_of(capacity=capacity) != []


def test_an_activity_needs_a_place_or_online_but_not_both():
    assert any("needs a 'place'" in p for p in problems_of(place=None))
    assert any("is online and has a place" in p for p in problems_of(online=True))
    assert problems_of(online=True, place=None, city=None) == []


def test_an_unknown_area_or_city_is_refused():
    assert any("unknown area" in p for p in problems_of(area="sports"))
    assert any("city must be" in p for p in problems_of(city="长沙市"))


def test_the_shipped_file_is_sample_data_and_every_card_says_so():
    activities = read_activities()
    assert len(activities) >= 8 and all(a.sample for a in activities)
    assert all(a.card().endswith(SAMPLE_NOTE) for a in activities)
    assert [a.start for a in activities] == sorted(a.start for a in activities)


def test_a_file_that_does_not_say_whether_it_is_sample_data_is_refused(tmp_path):
    path = tmp_path / "activities.yml"
    path.write_text("activities:\n  - {id: activity.a}\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="sample: true"):
        read_activities(path)


def test_this_week_lists_only_what_starts_within_seven_days_and_is_not_over():
    found = upcoming(read_activities(), NOW, within_days=7)
    assert found and all(NOW < a.end and a.start <= NOW + timedelta(days=7) for a in found)
    assert upcoming(read_activities(), datetime(2027, 6, 1, tzinfo=CHINA)) == []


def test_near_her_means_her_city_or_online():
    found = upcoming(read_activities(), NOW, region="广东省深圳市南山区", limit=10)
    assert found and all(a.online or a.city == "深圳市" for a in found)


def test_for_her_child_narrows_to_activities_about_children():
    found = upcoming(read_activities(), NOW, text="有没有带孩子参加的活动", limit=10)
    assert found and all("孩子" in a.keywords for a in found)
    assert len(upcoming(read_activities(), NOW, text="这周有什么活动", limit=10)) > len(found)


def test_for_entrepreneurs_keeps_the_area():
    found = upcoming(read_activities(), NOW, area="entrepreneurship", limit=10)
    assert found and {a.area for a in found} == {"entrepreneurship"}
