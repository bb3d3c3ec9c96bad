"""Activities and sign-ups: what is on, signing up for a place, cancelling, the roster.

A place is taken by one conditional UPDATE (`places_left = places_left - 1 WHERE
places_left > 0`): the database decides which of two simultaneous sign-ups gets the
last place, and the other is told it is full. A cancelled sign-up gives its place back.
When the table is empty the SAMPLE catalogue (assistant_contract's activities.yml) is
loaded, so that a laptop has something to show; staff edit activities in the console.
Nothing here commits: the caller's transaction does.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable, List, Optional

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from routing.activity_models import Activity, ActivitySignup
from routing.models import utcnow

SIGNED_UP, ALREADY, FULL, GONE = "signed_up", "already_signed_up", "full", "gone"
CANCELLED, NOT_SIGNED_UP = "cancelled", "not_signed_up"
PHONE = re.compile(r"^1[3-9]\d{9}$")
CSV_HEADER = ("活动", "称呼", "手机号", "报名时间", "同意登记时间", "状态")


@dataclass(frozen=True)
class SignupResult:
    status: str
    places_left: Optional[int] = None


def load_sample(db: Session, catalogue: Optional[Iterable] = None) -> int:
    """The sample catalogue into an empty table; how many were added (0 when it has rows)."""
    if db.scalar(select(func.count()).select_from(Activity)):
        return 0
    if catalogue is None:
        from assistant_contract.catalogue.activities import read_activities  # noqa: PLC0415 - on first use

        catalogue = read_activities()
    added = 0
    for item in catalogue:
        db.add(Activity(
            id=item.id, title=item.title, organiser=item.organiser, city=item.city, place=item.place,
            online=item.online, starts_at=item.start.astimezone(timezone.utc), ends_at=item.end.astimezone(timezone.utc),
            capacity=item.capacity, places_left=item.capacity, audience=item.audience, area=item.area,
            description=item.description, keywords=" ".join(item.keywords), sample=item.sample,
        ))
        added += 1
    db.flush()
    return added


def upcoming(db: Session, now: Optional[datetime] = None, *, city: Optional[str] = None,
             within_days: Optional[int] = None, area: Optional[str] = None, limit: int = 20) -> List[Activity]:
    """Not yet over, soonest first; in her city or online when her city is known."""
    now = now or utcnow()
    query = select(Activity).where(Activity.ends_at > now)
    if within_days is not None:
        query = query.where(Activity.starts_at <= now + timedelta(days=within_days))
    if city:
        query = query.where((Activity.city == city) | Activity.online)
    if area:
        query = query.where(Activity.area == area)
    return list(db.scalars(query.order_by(Activity.starts_at, Activity.id).limit(limit)))


def sign_up(db: Session, *, activity_id: str, conversation_id: str, name: str, phone: str,
            channel: Optional[str] = None, consented_at: Optional[datetime] = None,
            now: Optional[datetime] = None) -> SignupResult:
    """Her place, if one is left. She signs up once: a second sign-up is ALREADY, and a
    cancelled one is taken up again (when a place is left)."""
    now = now or utcnow()
    activity = db.get(Activity, activity_id)
    if activity is None or activity.ends_at <= now:
        return SignupResult(GONE)
    existing = db.scalar(select(ActivitySignup).where(ActivitySignup.activity_id == activity_id,
                                                      ActivitySignup.conversation_id == conversation_id))
    if existing is not None and existing.cancelled_at is None:
        return SignupResult(ALREADY, _places_left(db, activity_id))
    taken = db.execute(update(Activity).where(Activity.id == activity_id, Activity.places_left > 0)
                       .values(places_left=Activity.places_left - 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        return SignupResult(FULL, 0)
    details = {"name": name.strip()[:50], "phone": phone.strip(), "channel": channel,
               "consented_at": consented_at or now, "created_at": now, "cancelled_at": None}
    if existing is not None:
        for key, value in details.items():
            setattr(existing, key, value)
    else:
        try:
            with db.begin_nested():
                db.add(ActivitySignup(activity_id=activity_id, conversation_id=conversation_id, **details))
        except IntegrityError:  # the same conversation signed up at the same moment: one place only
            _give_back(db, activity_id)
            return SignupResult(ALREADY, _places_left(db, activity_id))
    db.flush()
    return SignupResult(SIGNED_UP, _places_left(db, activity_id))


def cancel(db: Session, *, activity_id: str, conversation_id: str, now: Optional[datetime] = None) -> SignupResult:
    """Her sign-up taken back; its place given back."""
    signup = db.scalar(select(ActivitySignup).where(ActivitySignup.activity_id == activity_id,
                                                    ActivitySignup.conversation_id == conversation_id,
                                                    ActivitySignup.cancelled_at.is_(None)))
    if signup is None:
        return SignupResult(NOT_SIGNED_UP)
    signup.cancelled_at = now or utcnow()
    _give_back(db, activity_id)
    db.flush()
    return SignupResult(CANCELLED, _places_left(db, activity_id))


def signups_of(db: Session, conversation_id: str) -> List[ActivitySignup]:
    """Her sign-ups that stand, soonest activity first."""
    query = (select(ActivitySignup).join(Activity).where(ActivitySignup.conversation_id == conversation_id,
                                                         ActivitySignup.cancelled_at.is_(None))
             .order_by(Activity.starts_at))
    return list(db.scalars(query))


def roster(db: Session, activity_id: str, with_cancelled: bool = False) -> List[ActivitySignup]:
    query = select(ActivitySignup).where(ActivitySignup.activity_id == activity_id)
    if not with_cancelled:
        query = query.where(ActivitySignup.cancelled_at.is_(None))
    return list(db.scalars(query.order_by(ActivitySignup.created_at, ActivitySignup.id)))


def roster_csv(activity: Activity, signups: Iterable[ActivitySignup]) -> str:
    """The organiser's list as CSV (UTF-8 with a BOM, so spreadsheet programs read Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for signup in signups:
        writer.writerow((activity.title, _cell(signup.name), signup.phone, _china_time(signup.created_at),
                         _china_time(signup.consented_at), "已取消" if signup.cancelled_at else "已报名"))
    return "\ufeff" + buffer.getvalue()


def change_capacity(db: Session, activity: Activity, capacity: int) -> bool:
    """A new capacity, keeping every place already taken; False when it is below them."""
    taken = activity.capacity - activity.places_left
    if capacity < max(taken, 1):
        return False
    activity.places_left = capacity - taken
    activity.capacity = capacity
    return True


def _give_back(db: Session, activity_id: str) -> None:
    db.execute(update(Activity).where(Activity.id == activity_id, Activity.places_left < Activity.capacity)
               .values(places_left=Activity.places_left + 1).execution_options(synchronize_session=False))


def _places_left(db: Session, activity_id: str) -> int:
    return int(db.scalar(select(Activity.places_left).where(Activity.id == activity_id)) or 0)


def _china_time(moment: Optional[datetime]) -> str:
    return moment.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M") if moment else ""


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
