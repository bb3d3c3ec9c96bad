"""找组织 for the assistant: offices serving a region, or nearest to a location (service token)."""
from __future__ import annotations

from typing import Annotated, List, Optional

from fastapi import APIRouter, Query

from routing import directory
from routing.api.dependencies import DatabaseSession, ServiceCaller
from routing.api.schemas import OfficeOut
from routing.models import ORG_LEVELS, Organisation

TAG = {"name": "offices", "description": "Federation offices near her or serving her region (service token)."}
LEVEL_PATTERN = "^(" + "|".join(ORG_LEVELS) + ")$"
Level = Annotated[Optional[str], Query(pattern=LEVEL_PATTERN)]
router = APIRouter(prefix="/api/v1/offices", tags=[TAG["name"]], dependencies=[ServiceCaller])


def office(organisation: Organisation, distance_km: Optional[float] = None) -> OfficeOut:
    shown = OfficeOut.model_validate(organisation)
    return shown if distance_km is None else shown.model_copy(update={"distance_km": round(distance_km, 2)})


@router.get("/nearest", response_model=List[OfficeOut])
def nearest(latitude: Annotated[float, Query(ge=-90, le=90)], longitude: Annotated[float, Query(ge=-180, le=180)],
            db: DatabaseSession, level: Level = None,
            limit: Annotated[int, Query(ge=1, le=10)] = 3) -> List[OfficeOut]:
    return [office(match.organisation, match.distance_km)
            for match in directory.nearest(db, latitude, longitude, level, limit)]


@router.get("/for-region", response_model=List[OfficeOut])
def for_region(region: Annotated[str, Query(min_length=2, max_length=100)], db: DatabaseSession,
               level: Level = None) -> List[OfficeOut]:
    return [office(organisation) for organisation in directory.for_region(db, region, level)]
