"""找组织 for the assistant: offices serving a region, or nearest to a location (service token)."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from routing import directory
from routing.models import ORG_LEVELS, Organisation

LEVEL_PATTERN = "^(" + "|".join(ORG_LEVELS) + ")$"


def office_out(org: Organisation, distance_km: Optional[float] = None) -> Dict[str, Any]:
    return dict(
        id=org.id, name=org.name, level=org.level, region=org.region, address=org.address, phone=org.phone,
        hours=org.hours, latitude=org.latitude, longitude=org.longitude, sample=bool(org.sample),
        distance_km=None if distance_km is None else round(distance_km, 2),
    )


def office_router(session: Callable[..., Any], service_caller: Callable[..., None]) -> APIRouter:
    router = APIRouter(prefix="/api/v1/offices", dependencies=[Depends(service_caller)])

    @router.get("/nearest")
    def nearest(
        latitude: float = Query(ge=-90, le=90), longitude: float = Query(ge=-180, le=180),
        level: Optional[str] = Query(default=None, pattern=LEVEL_PATTERN),
        limit: int = Query(default=3, ge=1, le=10), db: Session = Depends(session),
    ) -> List[Dict[str, Any]]:
        return [office_out(m.organisation, m.distance_km)
                for m in directory.nearest(db, latitude, longitude, level, limit)]

    @router.get("/for-region")
    def for_region(
        region: str = Query(min_length=2, max_length=100),
        level: Optional[str] = Query(default=None, pattern=LEVEL_PATTERN), db: Session = Depends(session),
    ) -> List[Dict[str, Any]]:
        return [office_out(org) for org in directory.for_region(db, region, level)]

    return router
