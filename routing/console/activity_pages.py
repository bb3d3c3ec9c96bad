"""Activities in the console: staff keep the catalogue (add, edit, capacity), and the
organiser sees who signed up and exports the list as CSV.

Places are counted by routing/activities.py; a capacity change keeps every place already
taken. The roster shows her name and phone to the staff who organise the activity, since
she agreed to give them for that; every export is recorded in the audit log.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

from assistant_contract.areas import AREA_TITLES, AREAS
from assistant_contract.catalogue.local_services import GUANGDONG_CITIES, WHOLE_PROVINCE
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import activities, audit
from routing.activity_models import Activity
from routing.console.context import Console, ConsoleError, Viewer
from routing.read_audit import noted

PAGE = "/console/activities"
ACTIVITY_ROLES = ("staff", "supervisor", "admin")
CHINA = timezone(timedelta(hours=8))
CITIES = GUANGDONG_CITIES + (WHOLE_PROVINCE,)
FIELDS = ("title", "organiser", "city", "place", "starts_at", "ends_at", "capacity", "audience", "area",
          "description", "keywords")


def china_input(moment: Optional[datetime]) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _moment(value: str, back: str) -> datetime:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=CHINA).astimezone(timezone.utc)
    except ValueError as error:
        raise ConsoleError(400, "时间格式不对，请用页面上的日期时间选择框填写。", back) from error


def read_form(posted: dict, back: str) -> dict:
    """The activity's fields from the form, checked; ConsoleError names what is wrong."""
    values = {field: (posted.get(field) or "").strip() for field in FIELDS}
    missing = [field for field in ("title", "organiser", "city", "audience", "area", "description") if not values[field]]
    if missing:
        raise ConsoleError(400, "请把标题、主办单位、城市、适合人群、领域和介绍填完整。", back)
    if values["city"] not in CITIES or values["area"] not in AREAS:
        raise ConsoleError(400, "城市或领域不在可选范围内。", back)
    online = posted.get("online") == "1"
    if not online and not values["place"]:
        raise ConsoleError(400, "线下活动要填写地点；线上活动请勾选“线上”。", back)
    starts_at, ends_at = _moment(values["starts_at"], back), _moment(values["ends_at"], back)
    if ends_at <= starts_at:
        raise ConsoleError(400, "结束时间要晚于开始时间。", back)
    try:
        capacity = int(values["capacity"])
    except ValueError as error:
        raise ConsoleError(400, "名额要填一个整数。", back) from error
    if not 1 <= capacity <= 100000:
        raise ConsoleError(400, "名额要在1到100000之间。", back)
    return dict(values, online=online, place=None if online else values["place"][:300], starts_at=starts_at,
                ends_at=ends_at, capacity=capacity, keywords=" ".join(values["keywords"].replace("，", " ").split()))


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    organiser = console.viewer(*ACTIVITY_ROLES)

    def one(db: Session, activity_id: str) -> Activity:
        activity = db.get(Activity, activity_id)
        if activity is None:
            raise ConsoleError(404, "没有这个活动。", PAGE)
        return activity

    @router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
    def catalogue(request: Request, viewer: Viewer = Depends(organiser), db: Session = Depends(console.db)) -> Response:
        if activities.load_sample(db):
            db.commit()
        rows = list(db.scalars(select(Activity).order_by(Activity.starts_at.desc(), Activity.id)))
        return console.render(request, "activities.html", viewer, rows=rows, area_titles=AREA_TITLES)

    @router.get(PAGE + "/new", response_class=HTMLResponse, include_in_schema=False)
    def new(request: Request, viewer: Viewer = Depends(organiser)) -> Response:
        return console.render(request, "activity_edit.html", viewer, activity=None, cities=CITIES, areas=AREAS,
                              area_titles=AREA_TITLES, china_input=china_input)

    @router.post(PAGE + "/new", include_in_schema=False)
    def create(posted: dict = Depends(console.form), viewer: Viewer = Depends(organiser),
               db: Session = Depends(console.db)) -> Response:
        values = read_form(posted, PAGE + "/new")
        activity_id = (posted.get("id") or "").strip()
        if not activity_id.startswith("activity.") or len(activity_id) > 64 or db.get(Activity, activity_id):
            raise ConsoleError(400, "编号要以 activity. 开头、不超过64个字符，且不能和已有活动重复。", PAGE + "/new")
        db.add(Activity(id=activity_id, places_left=values["capacity"], sample=False, **values))
        audit.record(db, viewer.user, "activity.create", f"activity:{activity_id}", after={"title": values["title"]})
        console.commit(db, PAGE)
        return RedirectResponse(f"{PAGE}/{activity_id}", status_code=303)

    @router.get(PAGE + "/{activity_id}", response_class=HTMLResponse, include_in_schema=False)
    def detail(activity_id: str, request: Request, viewer: Viewer = Depends(organiser),
               db: Session = Depends(console.db)) -> Response:
        activity = one(db, activity_id)
        signups = activities.roster(db, activity_id, with_cancelled=True)
        noted(db, viewer.user, "activity_roster", f"activity:{activity_id}")
        return console.render(request, "activity_edit.html", viewer, activity=activity, signups=signups,
                              cities=CITIES, areas=AREAS, area_titles=AREA_TITLES, china_input=china_input)

    @router.post(PAGE + "/{activity_id}", include_in_schema=False)
    def update(activity_id: str, posted: dict = Depends(console.form), viewer: Viewer = Depends(organiser),
               db: Session = Depends(console.db)) -> Response:
        back = f"{PAGE}/{activity_id}"
        activity = one(db, activity_id)
        db.refresh(activity)
        values = read_form(posted, back)
        before = {"title": activity.title, "capacity": activity.capacity}
        if not activities.change_capacity(db, activity, values.pop("capacity")):
            raise ConsoleError(400, "名额不能少于已经报名的人数。", back)
        for field, value in values.items():
            setattr(activity, field, value)
        activity.updated_at = datetime.now(timezone.utc)
        audit.record(db, viewer.user, "activity.update", f"activity:{activity_id}", before=before,
                     after={"title": activity.title, "capacity": activity.capacity})
        console.commit(db, back)
        return RedirectResponse(back, status_code=303)

    @router.get(PAGE + "/{activity_id}/signups.csv", include_in_schema=False)
    def export(activity_id: str, viewer: Viewer = Depends(organiser), db: Session = Depends(console.db)) -> Response:
        activity = one(db, activity_id)
        text = activities.roster_csv(activity, activities.roster(db, activity_id, with_cancelled=True))
        noted(db, viewer.user, "export.activity_roster", f"activity:{activity_id}")
        return Response(text, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="signups-{activity_id}.csv"'})

    return router
