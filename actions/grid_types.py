"""What a grid worker's chat knows about her and her report, as the routing backend
names it (assistant_contract.grid owns the shared values)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Dict, Optional

from assistant_contract.grid import CADRE, PATROL

HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class GridBinding:
    """Her chat bound to her account: who she is and the grid she patrols (a cadre: her
    federation office, and no grid)."""

    user_id: str
    name: str
    role: str
    grid_code: str
    grid_name: str
    office: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "GridBinding":
        grid_code = str(data.get("grid_code") or "")  # staff above the grids are bound without one
        return cls(user_id=str(data["user_id"]), name=str(data.get("name") or ""), role=str(data.get("role") or ""),
                   grid_code=grid_code, grid_name=str(data.get("grid_name") or grid_code),
                   office=data.get("office") or None)

    @property
    def is_cadre(self) -> bool:
        """A cadre's account: 执委学堂 in the chat, no grid reports."""
        return self.role == CADRE

    def as_slot(self) -> Dict[str, str]:
        return asdict(self)

    @property
    def addressed(self) -> str:
        """"李梅，" to begin a sentence to her, when her account name is a name; nothing for a
        login name such as "wangli01" (nobody is greeted by her login)."""
        return f"{self.name}，" if HAN.search(self.name) else ""


@dataclass(frozen=True)
class GridReport:
    """One report from her patrol, as the form collected it."""

    grid_code: str
    subject: str
    place: str
    text: str
    urgency: str
    consent: bool
    reporter_conversation_id: str
    no_consent_reason: Optional[str] = None
    area: Optional[str] = None
    person_name: Optional[str] = None
    source: str = PATROL

    def body(self) -> Dict[str, Any]:
        """The request body: optional fields only when they say something."""
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class GridReceipt:
    """The backend's answer to a report; `number` is what she is told."""

    id: str
    number: str
    status: str
    area: Optional[str] = None
    urgent: bool = False
    handoff_id: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "GridReceipt":
        handoff = data.get("handoff_id")
        return cls(id=str(data["id"]), number=str(data["number"]), status=str(data["status"]),
                   area=data.get("area"), urgent=bool(data.get("urgent")),
                   handoff_id=str(handoff) if handoff is not None else None)
