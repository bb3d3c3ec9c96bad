"""The four service areas of the federation's online service, and their titles."""
from __future__ import annotations

from typing import Optional

AREAS = ("entrepreneurship", "legal", "family_education", "care")
AREA_TITLES = {
    "entrepreneurship": "创业创新",
    "legal": "法律维权",
    "family_education": "家庭教育",
    "care": "关爱服务",
}


def is_area(value: Optional[str]) -> bool:
    return value in AREA_TITLES
