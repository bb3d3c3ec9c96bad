"""Activities and sign-ups (routing/activities.py), on SQLite and PostgreSQL."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from routing import activities
from routing.activity_models import Activity

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def add_activity(db, activity_id="activity.test.talk", capacity=2, city="佛山市", online=False, days=3):
    db.add(Activity(id=activity_id, title="普法讲座", organiser="顺德区妇联（示例）", city=city,
                    place=None if online else "某中心", online=online, starts_at=NOW + timedelta(days=days),
                    ends_at=NOW + timedelta(days=days, hours=2), capacity=capacity, places_left=capacity,
                    audience="社区居民", area="legal", description="讲解保护令。", keywords="家暴 保护令", sample=True))


def sign(db, conversation, activity_id="activity.test.talk"):
    return activities.sign_up(db, activity_id=activity_id, conversation_id=conversation, name="陈女士",
                              phone="13800138000", channel="rest", now=NOW)


def test_the_sample_catalogue_fills_an_empty_table_once(sessions):
    with sessions() as db, db.begin():
        assert activities.load_sample(db) >= 10
        assert activities.load_sample(db) == 0
        first = db.get(Activity, "activity.sample.mama_jobs_fair")
        assert first.places_left == first.capacity == 200 and first.starts_at.tzinfo is not None


def test_upcoming_in_her_city_or_online_soonest_first(sessions):
    with sessions() as db, db.begin():
        add_activity(db, "activity.test.foshan", days=5)
        add_activity(db, "activity.test.online", city="全省", online=True, days=2)
        add_activity(db, "activity.test.guangzhou", city="广州市", days=1)
        add_activity(db, "activity.test.far", days=40)
        ids = [a.id for a in activities.upcoming(db, NOW, city="佛山市", within_days=7)]
    assert ids == ["activity.test.online", "activity.test.foshan"]


def test_signing_up_takes_a_place_and_cancelling_gives_it_back(sessions):
    with sessions() as db, db.begin():
        add_activity(db)
        assert sign(db, "woman-1") == activities.SignupResult(activities.SIGNED_UP, 1)
        assert sign(db, "woman-1").status == activities.ALREADY
        assert [s.conversation_id for s in activities.signups_of(db, "woman-1")] == ["woman-1"]
        assert activities.cancel(db, activity_id="activity.test.talk", conversation_id="woman-1").places_left == 2
        assert activities.cancel(db, activity_id="activity.test.talk", conversation_id="woman-1").status == \
            activities.NOT_SIGNED_UP
        assert activities.signups_of(db, "woman-1") == []
        assert sign(db, "woman-1").status == activities.SIGNED_UP  # she may change her mind again
        assert len(activities.roster(db, "activity.test.talk", with_cancelled=True)) == 1


def test_a_full_or_past_activity_takes_no_one(sessions):
    with sessions() as db, db.begin():
        add_activity(db, capacity=1)
        add_activity(db, "activity.test.past", days=-2)
        assert sign(db, "woman-1").status == activities.SIGNED_UP
        assert sign(db, "woman-2") == activities.SignupResult(activities.FULL, 0)
        assert sign(db, "woman-3", "activity.test.past").status == activities.GONE
        assert sign(db, "woman-3", "activity.test.none").status == activities.GONE


@pytest.mark.parametrize("women", [2, 6])
def test_two_or_more_signing_up_for_the_last_place_at_once_only_one_gets_it(sessions, women):
    with sessions() as db, db.begin():
        add_activity(db, capacity=1)
    start, results = threading.Barrier(women), []

    def attempt(number):
        with sessions() as db:
            start.wait()
            result = sign(db, f"woman-{number}")
            db.commit()
            results.append(result.status)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(women)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [activities.FULL] * (women - 1) + [activities.SIGNED_UP]
    with sessions() as db:
        assert db.get(Activity, "activity.test.talk").places_left == 0
        assert len(activities.roster(db, "activity.test.talk")) == 1


def test_capacity_can_grow_or_shrink_but_never_below_the_places_taken(sessions):
    with sessions() as db, db.begin():
        add_activity(db, capacity=3)
        sign(db, "woman-1")
        sign(db, "woman-2")
        activity = db.get(Activity, "activity.test.talk")
        db.refresh(activity)
        assert not activities.change_capacity(db, activity, 1)
        assert activities.change_capacity(db, activity, 5) and activity.places_left == 3
        assert activities.change_capacity(db, activity, 2) and activity.places_left == 0


def test_the_roster_exports_as_csv_a_spreadsheet_reads(sessions):
    with sessions() as db, db.begin():
        add_activity(db)
        activities.sign_up(db, activity_id="activity.test.talk", conversation_id="w1", name="=HYPERLINK(1)",
                           phone="13800138000", now=NOW)
        activity = db.get(Activity, "activity.test.talk")
        text = activities.roster_csv(activity, activities.roster(db, activity.id))
    assert text.startswith("\ufeff活动,称呼,手机号")
    assert "'=HYPERLINK(1)" in text and "13800138000" in text and "2026-12-01 10:00" in text
