"""Guangdong's towns and streets (乡镇、街道), the fourth of the federation's five levels.

The table `routing/data/towns.yml` is taken from the administrative divisions that the
`jionlp` package ships (Apache-2.0; see the file's `source`): every 镇, 乡 and 街道 of
Guangdong under its county-level division, and the towns elsewhere in China that bear
the name of a Guangdong town, so that 「南安水头镇」 (Fujian) is never mistaken for
佛冈's 水头镇. Regenerate it with `python -m routing.towns path/to/china_location.txt`.

Standard library, PyYAML and `assistant_contract` (with jsonschema) only: the
assistant's side reads the table too.
"""
from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml
from assistant_contract.catalogue.schemas import DATE, TEXT, problems

TOWNS_FILE = Path(__file__).resolve().parent / "data" / "towns.yml"
GUANGDONG = "44"
TOWN_NAME = re.compile(r"^\S{1,20}(镇|乡|街道)$")
_TOWN_SUFFIX = re.compile(r"(街道|镇|(?:[^乡]{1,3}族)?乡)$")
_COUNTY_SUFFIX = re.compile(r"((?:[^县]{1,6}族)*自治县|[区县市])$")
_CITY_SUFFIX = re.compile(r"市$")
_SOURCE_FIELDS = ("package", "version", "licence", "data_date", "checked")
SCHEMA = {  # towns.yml
    "type": "object", "required": ["source", "counties", "elsewhere"], "additionalProperties": False,
    "properties": {
        "source": {"type": "object", "required": list(_SOURCE_FIELDS), "additionalProperties": False,
                   "properties": {"package": TEXT, "version": TEXT, "licence": TEXT, "data_date": DATE,
                                  "checked": DATE}},
        "counties": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["code", "city", "county", "towns"], "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": r"^44\d{4}$"},  # six digits, Guangdong's
                "city": TEXT,
                "county": {"type": "string"},  # empty where the towns sit directly under the city
                "towns": {"type": "array", "minItems": 1,
                          "items": {"type": "string", "pattern": TOWN_NAME.pattern}},  # …镇, …乡, …街道
            }}},
        "elsewhere": {"type": "object",  # town name → full names outside Guangdong that share it
                      "additionalProperties": {"type": "array", "minItems": 1, "items": TEXT}},
    },
}
HOURS = "周一至周五 9:00-12:00，14:30-17:30（节假日除外，以当地公布为准）"
PHONE = "12338"


class TownDataError(ValueError):
    pass


@dataclass(frozen=True)
class Town:
    county_code: str  # the county-level division's six-digit code (东莞、中山: the city's)
    city: str
    county: str  # empty where the town sits directly under the city (东莞、中山)
    name: str

    @property
    def short_name(self) -> str:
        """The everyday name: 容桂街道 → 容桂, 水头镇 → 水头."""
        short = _TOWN_SUFFIX.sub("", self.name)
        return short if len(short) >= 2 else self.name

    @property
    def full_name(self) -> str:
        return "广东省" + self.city + self.county + self.name


@dataclass(frozen=True)
class TownTable:
    towns: Tuple[Town, ...]
    elsewhere: Dict[str, Tuple[str, ...]]  # town name → full names outside Guangdong that share it
    source: Dict[str, Any]

    def in_county(self, county_code: str) -> List[Town]:
        return [town for town in self.towns if town.county_code == county_code]

    def find(self, text: str) -> Optional[Town]:
        """The Guangdong town she names with its county or city (「顺德容桂」「佛冈水头镇」), or
        with its full name when no other Guangdong town has it; None when the place she named
        around it is not that town's (「南安水头镇」: see `elsewhere_named`)."""
        named = [town for town in self.towns if town.name in text or town.short_name in text]
        qualified = [town for town in named if _names_its_county(town, text)]
        if qualified:
            return max(qualified, key=lambda town: len(town.name))
        full = [town for town in named if town.name in text]
        unique = {town.name for town in full if sum(1 for t in self.towns if t.name == town.name) == 1}
        if full and len(unique) == 1 and not self.elsewhere_named(text):
            return next(town for town in full if town.name in unique)
        return None

    def elsewhere_named(self, text: str) -> Optional[str]:
        """The full name of a town outside Guangdong that she names with its county
        (「南安水头镇」 → 福建省泉州市南安市水头镇), or None."""
        for name, places in self.elsewhere.items():
            said = name if name in text else _TOWN_SUFFIX.sub("", name)
            if len(said) < 2 or said not in text:
                continue
            around = text.replace(said, " ", 1)  # 「城中村」 names no 城中区 beside a 城中街道
            for place in places:
                county = place[: -len(name)] if place.endswith(name) else place
                counties = re.findall(r"[^省市区县州盟]+?(?:自治县|[市区县旗])", county)
                if counties and _short(counties[-1]) in around:
                    return place
        return None


def _short(county: str) -> str:
    short = _COUNTY_SUFFIX.sub("", county)
    return short if len(short) >= 2 else county


def _names_its_county(town: Town, text: str) -> bool:
    around = text.replace(town.name, "").replace(town.short_name, "")
    places = [town.county, _short(town.county)] if town.county else [town.city, _CITY_SUFFIX.sub("", town.city)]
    return any(place and place in around for place in places)


def check(data: Dict[str, Any], where: str = "towns.yml") -> List[str]:
    """What is wrong with the table: first its shape (the schema: a list written as one string
    is refused, never read as its characters), then what a schema cannot say."""
    found = problems(data, SCHEMA, where)
    if found:
        return found
    found = [f"{where}: source: '{field}' must be a date (YYYY-MM-DD)"  # quoted, it is text
             for field in ("data_date", "checked") if not isinstance(data["source"][field], date)]
    seen_codes = set()
    for index, county in enumerate(data["counties"], start=1):
        code, towns = county["code"], county["towns"]
        place = f"{where}: county #{index} ({code})"
        if code in seen_codes:
            found.append(f"{place}: duplicate code")
        seen_codes.add(code)
        found += [f"{place}: '{name}' is listed twice"
                  for name in sorted({n for n in towns if towns.count(n) > 1})]
    for name, places in data["elsewhere"].items():
        found += [f"{where}: elsewhere '{name}': '{place}' is in Guangdong or does not end with the town's name"
                  for place in places if place.startswith("广东") or not place.endswith(name)]
    return found


def read(path: Path = TOWNS_FILE) -> TownTable:
    """The table; a file that breaks the schema or a rule of meaning is refused whole."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    found = check(data, Path(path).name)
    if found:
        raise TownDataError(f"{path}:\n" + "\n".join(found))
    towns = tuple(
        Town(county["code"], county["city"], county["county"], name)
        for county in data["counties"] for name in county["towns"]
    )
    elsewhere = {name: tuple(places) for name, places in data["elsewhere"].items()}
    return TownTable(towns, elsewhere, dict(data["source"]))


def office_id(county_code: str, town_name: str) -> str:
    return f"org-{county_code}-t{hashlib.sha1(town_name.encode('utf-8')).hexdigest()[:8]}"


def sample_offices(organisations: Iterable[Dict[str, Any]], table: TownTable) -> List[Dict[str, Any]]:
    """A sample town-level office for every town of the table, under its county's office
    (or its city's, where the sample directory has no office for the county); towns the
    directory already lists (by region) are left as they are."""
    organisations = list(organisations)
    by_id = {org["id"]: org for org in organisations}
    regions = {org["region"] for org in organisations}
    offices = []
    for town in table.towns:
        parent = by_id.get(f"org-{town.county_code}") or by_id.get(f"org-{town.county_code[:4]}00")
        if parent is None:
            continue
        region = parent["region"] + (town.county if parent["level"] == "city" else "") + town.name
        if region in regions:
            continue
        where = region.replace("广东省", "", 1)
        offices.append({
            "id": office_id(town.county_code, town.name), "name": f"{where}妇女联合会", "level": "town",
            "parent": parent["id"], "region": region, "address": f"{where}（示例地址，以当地妇联公布为准）",
            "phone": PHONE, "hours": HOURS, "latitude": None, "longitude": None,
        })
        regions.add(region)
    return offices


def extract(lines: Iterable[str], source: Dict[str, Any]) -> Dict[str, Any]:
    """The table from jionlp's `china_location.txt`: one place a line, the level given by
    leading tabs (province, city, county, town, village), codes beside the first three."""
    counties: Dict[str, Dict[str, Any]] = {}
    outside: Dict[str, List[str]] = {}
    province = city = county = ("", "")
    for line in lines:
        line = line.rstrip("\r\n")
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t") + ["", ""]  # Taiwan's divisions carry no code
        if depth == 0:
            province = (parts[0], parts[1])
        elif depth == 1:
            city = (parts[0], parts[1])
        elif depth == 2:
            county = (parts[0], parts[1])
        elif depth == 3 and TOWN_NAME.match(parts[0]):
            direct = county[0].startswith("市直辖")
            if province[1].startswith(GUANGDONG):
                code = city[1] if direct else county[1]
                entry = counties.setdefault(code, {"code": code, "city": city[0], "county": "" if direct else county[0],
                                                   "towns": []})
                if parts[0] not in entry["towns"]:
                    entry["towns"].append(parts[0])
            else:
                above = [name for name in (province[0], city[0], county[0]) if not name.startswith(("市直辖", "省直辖"))]
                outside.setdefault(parts[0], []).append("".join(dict.fromkeys(above)) + parts[0])
    names = {name for entry in counties.values() for name in entry["towns"]}
    elsewhere = {name: sorted(set(places)) for name, places in sorted(outside.items()) if name in names}
    return {"source": source, "counties": sorted(counties.values(), key=lambda c: c["code"]), "elsewhere": elsewhere}


HEADER = """\
# Guangdong's towns and streets (乡镇、街道) under their county-level divisions, and the
# towns elsewhere in China that share a Guangdong town's name. Taken from the table of
# administrative divisions in the jionlp package (see `source`; Apache License 2.0),
# keeping the names that end in 镇, 乡 or 街道 (林场、农场、园区 are left out).
# Generated by `python -m routing.towns china_location.txt`: do not edit by hand.
# Divisions change: 以民政部门最新公布的行政区划为准.
"""


def render(data: Dict[str, Any]) -> str:
    def flow(item: Any) -> str:
        return yaml.safe_dump(item, allow_unicode=True, default_flow_style=True, sort_keys=False, width=100_000).strip()

    lines = [HEADER.rstrip("\n"), "source:"]
    lines += [f"  {key}: {value}" for key, value in data["source"].items()]
    lines.append("counties:")
    lines += [f"  - {flow(county)}" for county in data["counties"]]
    lines.append("elsewhere:")
    lines += [f"  {name}: {flow(places)}" for name, places in data["elsewhere"].items()]
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m routing.towns path/to/jionlp/dictionary/china_location.txt", file=sys.stderr)
        return 2
    source = {"package": "jionlp", "version": "1.5.31", "licence": "Apache-2.0",
              "data_date": date(2025, 11, 27), "checked": date.today()}
    with Path(argv[0]).open(encoding="utf-8") as handle:
        data = extract(handle, source)
    found = check(data, "the extracted table")
    if found:
        print("\n".join(found), file=sys.stderr)
        return 1
    TOWNS_FILE.write_text(render(data), encoding="utf-8")
    print(f"Wrote {sum(len(c['towns']) for c in data['counties'])} towns of {len(data['counties'])} "
          f"county-level divisions to {TOWNS_FILE}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
