"""12345 and department work orders from a CSV file (the console's upload and the CLI).

Each line is filed like a work order through the API (routing/grid/filing.py): once per
work-order number, so uploading the same file twice adds nothing. The file is stored all
or none; a bad line is named with its line number and nothing is stored.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import List

from assistant_contract.areas import AREA_TITLES
from assistant_contract.grid import (
    DEPARTMENT, HOTLINE_12345, SOURCE_TITLES, SUBJECT_TITLES, URGENCY_TITLES,
)
from sqlalchemy.orm import Session

from routing.grid import filing
from routing.grid.settings import GridSettings

COLUMNS = ("work_order_no", "source", "grid_code", "subject", "person_name", "place", "text", "urgency", "consent",
           "no_consent_reason", "area")
REQUIRED = ("work_order_no", "source", "grid_code", "subject", "place", "text")
SOURCE_BY_TITLE = {"12345": HOTLINE_12345, "12345热线": HOTLINE_12345, "部门": DEPARTMENT, "部门工单": DEPARTMENT,
                   HOTLINE_12345: HOTLINE_12345, DEPARTMENT: DEPARTMENT}
SUBJECT_BY_TITLE = {title: name for name, title in SUBJECT_TITLES.items()} | {name: name for name in SUBJECT_TITLES}
URGENCY_BY_TITLE = {title: name for name, title in URGENCY_TITLES.items()} | {name: name for name in URGENCY_TITLES}
AREA_BY_TITLE = {title: name for name, title in AREA_TITLES.items()} | {name: name for name in AREA_TITLES}
YES = ("", "是", "同意", "yes", "true", "1", "y")


class ImportRefused(ValueError):
    pass


@dataclass(frozen=True)
class ImportResult:
    created: int
    duplicates: int
    numbers: List[str]


def parse(text: str) -> List[filing.NewReport]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused(f"缺少列：{', '.join(missing)}（需要：{', '.join(COLUMNS)}）")
    items, problems = [], []
    for line, row in enumerate(reader, start=2):
        row = {name: (value or "").strip() for name, value in row.items() if name}
        source, subject = SOURCE_BY_TITLE.get(row["source"]), SUBJECT_BY_TITLE.get(row["subject"])
        urgency = URGENCY_BY_TITLE.get(row.get("urgency") or "normal")
        area = AREA_BY_TITLE.get(row.get("area", "")) if row.get("area") else None
        consent = row.get("consent", "").lower() in YES
        wrong = [name for name, value in (("work_order_no", row["work_order_no"]), ("source", source),
                                          ("subject", subject), ("urgency", urgency), ("place", row["place"]),
                                          ("text", row["text"])) if not value]
        if row.get("area") and area is None:
            wrong.append("area")
        if not consent and not row.get("no_consent_reason"):
            wrong.append("no_consent_reason")
        if wrong:
            problems.append(f"第{line}行：{', '.join(wrong)} 缺失或不正确")
            continue
        items.append(filing.NewReport(source=source, grid_code=row["grid_code"], subject=subject, place=row["place"],
                                      text=row["text"], urgency=urgency, consent=consent,
                                      person_name=row.get("person_name") or None,
                                      no_consent_reason=row.get("no_consent_reason") or None, area=area,
                                      work_order_no=row["work_order_no"]))
    if problems:
        raise ImportRefused("；".join(problems) + "。文件未导入，请改正后重新上传。")
    if not items:
        raise ImportRefused("文件里没有工单。")
    return items


def import_csv(db: Session, text: str, settings: GridSettings, handoff_hours: tuple[int, int]) -> ImportResult:
    items = parse(text)
    try:
        filed = filing.file_batch(db, items, lambda item, _grid: filing.Reporter(None, SOURCE_TITLES[item.source]),
                                  settings, handoff_hours)
    except filing.InvalidReport as error:
        raise ImportRefused(f"{error}。文件未导入，请改正后重新上传。") from None
    created = sum(1 for entry in filed if entry.created)
    return ImportResult(created=created, duplicates=len(filed) - created,
                        numbers=[entry.report.number for entry in filed])
