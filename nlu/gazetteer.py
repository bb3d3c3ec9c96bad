"""China's administrative divisions with coordinates, from the `cpca` package's table.

Guangdong is covered down to county level (市辖区 included); the rest of the
country down to prefecture level, so that a woman who names a place outside
Guangdong gets an honest answer instead of a wrong office. Only cpca's CSV is
read: importing cpca itself would load pandas and its matcher for nothing.
Guangdong's towns and streets (the federation's fourth level) come from the
table in `routing/data/towns.yml` (read by `routing.towns`, standard library
and PyYAML only), placed under their county from cpca.
"""
from __future__ import annotations

import csv
import importlib.util
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, Optional, Tuple

if TYPE_CHECKING:
    from routing.towns import TownTable

GUANGDONG_PREFIX = "44"
EARTH_RADIUS_KM = 6371.0088
LEVELS = ("province", "city", "county", "town")

_PROVINCE_SUFFIX = re.compile(r"(壮族|回族|维吾尔)?自治区$|特别行政区$|省$|市$")
_CITY_SUFFIX = re.compile(r"市$|地区$|盟$")
_MINORITIES = "壮|瑶|畲|回|满|苗|黎|土家|蒙古|彝|藏|侗|布依|傣|白|哈尼|傈僳|羌|纳西|朝鲜|哈萨克|各"
_COUNTY_SUFFIX = re.compile(rf"(({_MINORITIES})族)*自治县$|[区县市]$")
_TOWN_SUFFIX = re.compile(r"(街道|镇|(?:[^乡]{1,3}族)?乡)$")
_NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    parent_code: Optional[str]
    full_name: str
    latitude: Optional[float]
    longitude: Optional[float]

    @property
    def in_guangdong(self) -> bool:
        return self.code.startswith(GUANGDONG_PREFIX)

    @property
    def short_name(self) -> Optional[str]:
        """The everyday name (顺德区 → 顺德, 乳源瑶族自治县 → 乳源), when it differs."""
        suffix = {"province": _PROVINCE_SUFFIX, "city": _CITY_SUFFIX, "county": _COUNTY_SUFFIX,
                  "town": _TOWN_SUFFIX}[self.level]
        if self.level == "city" and self.name.endswith("自治州"):
            return None  # 海南藏族自治州 would shorten to a province's name
        short = suffix.sub("", self.name)
        return short if short != self.name and len(short) >= 2 else None


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def cpca_table_path() -> Path:
    spec = importlib.util.find_spec("cpca")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The cpca package is missing: run `make install`.")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


def _level(code: str) -> Optional[str]:
    if code[2:] == "0" * 10:
        return "province"
    if code[4:] == "0" * 8:
        return "city"
    if code[6:] == "0" * 6 and code.startswith(GUANGDONG_PREFIX):
        return "county"
    return None


def _number(value: str) -> Optional[float]:
    return float(value) if value.strip() else None


class Gazetteer:
    def __init__(self, places: List[Place]) -> None:
        self._by_code: Dict[str, Place] = {p.code: p for p in places}
        self._by_full_name: Dict[str, Place] = {p.full_name: p for p in places}
        self._cities_with_counties = {p.parent_code for p in places if p.level == "county"}

    @classmethod
    def from_csv(cls, path: Path) -> "Gazetteer":
        rows: Dict[str, Tuple[str, Optional[float], Optional[float]]] = {}
        with Path(path).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows[row["adcode"]] = (row["name"], _number(row["longitude"]), _number(row["latitude"]))
        places: List[Place] = []
        for code in sorted(rows):
            name, longitude, latitude = rows[code]
            level = _level(code)
            if level is None or name in _NOT_PLACES:
                continue
            parent_code = {"province": None, "city": code[:2] + "0" * 10, "county": code[:4] + "0" * 8}[level]
            parents = [rows[c][0] for c in (code[:2] + "0" * 10, code[:4] + "0" * 8) if c in rows and c != code]
            parents = [p for p in parents if p not in _NOT_PLACES][: LEVELS.index(level)]
            if parent_code and parent_code not in rows:
                parent_code = None
            places.append(Place(code, name, level, parent_code, "".join(parents) + name, latitude, longitude))
        return cls(places)

    def with_towns(self, towns: Iterable[Tuple[str, str]]) -> "Gazetteer":
        """This gazetteer and Guangdong's towns, given as (county code, town name); the
        county code is the city's where towns sit directly under it (东莞、中山). A town
        whose county cpca does not know is left out: it could not be placed."""
        places = list(self)
        for county_code, name in towns:
            parent = self._by_code.get(county_code.ljust(12, "0"))
            if parent is None or not parent.in_guangdong:
                continue
            code = f"{parent.code}-{name}"
            places.append(Place(code, name, "town", parent.code, parent.full_name + name, None, None))
        return Gazetteer(places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._by_code.values())

    def by_code(self, code: str) -> Optional[Place]:
        return self._by_code.get(code)

    def by_full_name(self, full_name: str) -> Optional[Place]:
        return self._by_full_name.get(full_name)

    def parent(self, place: Place) -> Optional[Place]:
        return self._by_code.get(place.parent_code) if place.parent_code else None

    def guangdong(self, level: str) -> List[Place]:
        return [p for p in self if p.in_guangdong and p.level == level]

    def nearest_county(self, latitude: float, longitude: float) -> Tuple[Optional[Place], float]:
        """The Guangdong county (or county-less city: 东莞, 中山) whose centre is closest."""
        best: Tuple[Optional[Place], float] = (None, math.inf)
        for place in self:
            if not place.in_guangdong or place.latitude is None or place.longitude is None:
                continue
            if place.level == "province" or place.code in self._cities_with_counties:
                continue
            distance = great_circle_km(latitude, longitude, place.latitude, place.longitude)
            if distance < best[1]:
                best = (place, distance)
        return best


@lru_cache(maxsize=1)
def load_town_table() -> "TownTable":
    from routing.towns import read as read_towns  # noqa: PLC0415 - read once, on first use

    return read_towns()


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    towns = load_town_table().towns
    return Gazetteer.from_csv(cpca_table_path()).with_towns((town.county_code, town.name) for town in towns)
