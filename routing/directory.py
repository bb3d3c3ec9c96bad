"""Finding federation offices: by her region, or nearest to where she is.

Regions are full administrative names (广东省佛山市顺德区), so an office serves
her when its region is a prefix of hers; the longest such prefix is her most
local office. Distances are great-circle distances on the Earth's mean radius.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.models import ORG_LEVELS, Organisation

EARTH_RADIUS_KM = 6371.0088
# How far an office of each level may be and still count as "near" her.
NEARBY_DEGREES = 1.5
NEAR_ENOUGH_KM = {"village": 3.0, "town": 10.0, "county": 40.0, "city": 120.0, "province": math.inf}


@dataclass(frozen=True)
class OfficeMatch:
    organisation: Organisation
    distance_km: Optional[float]


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _prefixes(region: str) -> List[str]:
    return [region[:end] for end in range(1, len(region) + 1)]


def serving(session: Session, region: Optional[str]) -> List[Organisation]:
    """The offices whose area includes her region, most local first."""
    if not region:
        return []
    found = session.scalars(select(Organisation).where(Organisation.region.in_(_prefixes(region)))).all()
    return sorted(found, key=lambda org: (-len(org.region), -ORG_LEVELS.index(org.level)))


def for_region(session: Session, region: str, level: Optional[str] = None) -> List[Organisation]:
    """Her most local office (or the one of the level she asked for) and the ones above it."""
    chain = serving(session, region)
    if level is not None:
        chain = [org for org in chain if ORG_LEVELS.index(org.level) <= ORG_LEVELS.index(level)]
    return chain


def nearest(
    session: Session, latitude: float, longitude: float, level: Optional[str] = None, limit: int = 3
) -> List[OfficeMatch]:
    """The nearest offices at the lowest level that has one near her (or at the level asked).
    Offices within about 160 km are read first; the whole directory only if none is there."""
    located = Organisation.latitude.is_not(None), Organisation.longitude.is_not(None)
    around = (Organisation.latitude.between(latitude - NEARBY_DEGREES, latitude + NEARBY_DEGREES),
              Organisation.longitude.between(longitude - NEARBY_DEGREES, longitude + NEARBY_DEGREES))
    found = _nearest_among(session.scalars(select(Organisation).where(*located, *around)).all(),
                           latitude, longitude, level, limit)
    return found or _nearest_among(session.scalars(select(Organisation).where(*located)).all(),
                                   latitude, longitude, level, limit)


def _nearest_among(located: List[Organisation], latitude: float, longitude: float, level: Optional[str],
                   limit: int) -> List[OfficeMatch]:
    scored = sorted(
        (OfficeMatch(org, great_circle_km(latitude, longitude, org.latitude, org.longitude)) for org in located),
        key=lambda match: match.distance_km,
    )
    levels = [level] if level else list(reversed(ORG_LEVELS))
    for candidate in levels:
        at_level = [m for m in scored if m.organisation.level == candidate]
        if level or at_level and at_level[0].distance_km <= NEAR_ENOUGH_KM[candidate]:
            return at_level[:limit]
    return []
