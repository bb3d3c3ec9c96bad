"""Activities for the assistant (service token): what is on with places left, signing her
up (only after she consented, which the body must say), her sign-ups, and cancelling.

The last place goes to one woman only: routing/activities.py takes it with a conditional
UPDATE. A full activity answers 409, a past or unknown one 404; her phone and name are
never logged (the request log keeps paths, not bodies).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, List, Literal, Optional

from assistant_contract.catalogue.local_services import GUANGDONG_CITIES, WHOLE_PROVINCE
from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, Field

from routing import activities
from routing.activity_models import Activity
from routing.api.dependencies import DatabaseSession, ServiceCaller

TAG = {"name": "activities", "description": "Activities with places left, sign-ups and cancellations (service token)."}
router = APIRouter(prefix="/api/v1/activities", tags=[TAG["name"]], dependencies=[ServiceCaller])
CHINA = timezone(timedelta(hours=8))
FULL = "名额已满 / no place left"
GONE = "活动不存在或已结束 / no such activity, or it is over"
City = Annotated[Optional[str], Query(pattern="^(" + "|".join(GUANGDONG_CITIES + (WHOLE_PROVINCE,)) + ")$")]


class ActivityOut(BaseModel):
    id: str
    title: str
    organiser: str
    city: str
    place: Optional[str]
    online: bool
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_left: int
    audience: str
    area: str
    description: str
    keywords: List[str]
    sample: bool

    @classmethod
    def of(cls, activity: Activity) -> "ActivityOut":
        return cls(id=activity.id, title=activity.title, organiser=activity.organiser, city=activity.city,
                   place=activity.place, online=activity.online, starts_at=activity.starts_at.astimezone(CHINA),
                   ends_at=activity.ends_at.astimezone(CHINA), capacity=activity.capacity,
                   places_left=activity.places_left, audience=activity.audience, area=activity.area,
                   description=activity.description, keywords=activity.keywords.split(), sample=activity.sample)


class SignupIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=200)
    channel: Optional[str] = Field(default=None, max_length=32)
    name: str = Field(min_length=1, max_length=50)
    phone: str = Field(pattern=activities.PHONE.pattern)
    consent: Literal[True]  # she agreed, before giving her name and phone


class SignupOut(BaseModel):
    status: str
    activity: ActivityOut


@router.get("", response_model=List[ActivityOut])
def list_upcoming(db: DatabaseSession, city: City = None,
                  within_days: Annotated[Optional[int], Query(ge=1, le=366)] = None,
                  area: Annotated[Optional[str], Query(max_length=32)] = None,
                  limit: Annotated[int, Query(ge=1, le=50)] = 20) -> List[ActivityOut]:
    activities.load_sample(db)
    return [ActivityOut.of(a) for a in activities.upcoming(db, city=city, within_days=within_days, area=area,
                                                          limit=limit)]


@router.get("/signups/{conversation_id}", response_model=List[ActivityOut])
def her_signups(conversation_id: str, db: DatabaseSession) -> List[ActivityOut]:
    return [ActivityOut.of(signup.activity) for signup in activities.signups_of(db, conversation_id)]


@router.get("/{activity_id}", response_model=ActivityOut)
def one(activity_id: str, db: DatabaseSession) -> ActivityOut:
    activity = db.get(Activity, activity_id)
    if activity is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, GONE)
    return ActivityOut.of(activity)


@router.post("/{activity_id}/signups", response_model=SignupOut, status_code=status.HTTP_201_CREATED)
def sign_up(activity_id: str, body: SignupIn, db: DatabaseSession, response: Response) -> SignupOut:
    result = activities.sign_up(db, activity_id=activity_id, conversation_id=body.conversation_id,
                                name=body.name, phone=body.phone, channel=body.channel)
    if result.status == activities.GONE:
        raise HTTPException(status.HTTP_404_NOT_FOUND, GONE)
    if result.status == activities.FULL:
        raise HTTPException(status.HTTP_409_CONFLICT, FULL)
    if result.status == activities.ALREADY:
        response.status_code = status.HTTP_200_OK
    activity = db.get(Activity, activity_id)
    db.refresh(activity)
    return SignupOut(status=result.status, activity=ActivityOut.of(activity))


@router.delete("/{activity_id}/signups/{conversation_id}", response_model=SignupOut)
def cancel(activity_id: str, conversation_id: str, db: DatabaseSession) -> SignupOut:
    result = activities.cancel(db, activity_id=activity_id, conversation_id=conversation_id)
    activity = db.get(Activity, activity_id)
    if result.status == activities.NOT_SIGNED_UP or activity is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这条报名 / no such sign-up")
    db.refresh(activity)
    return SignupOut(status=result.status, activity=ActivityOut.of(activity))
