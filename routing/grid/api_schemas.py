"""Request and response bodies of the grid API (routing/api/routes/grid.py).

The enumerations are built from assistant_contract.grid, the one owner of the names,
so the OpenAPI document lists exactly the values both sides share.
"""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, List, Optional, Union

from assistant_contract.areas import AREAS
from assistant_contract.grid import (
    DISPATCH_LEVELS, MAX_BATCH, SOURCES, STAGES, SUBJECTS, URGENCIES,
)
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from routing.grid.filing import NO_REASON, NO_TEXT, NewReport


def _names(title: str, values) -> type[Enum]:
    return Enum(title, {value: value for value in values}, type=str)


Source = _names("Source", SOURCES)
Subject = _names("Subject", SUBJECTS)
Urgency = _names("Urgency", URGENCIES)
Area = _names("Area", AREAS)
Stage = _names("Stage", STAGES)
Level = _names("Level", DISPATCH_LEVELS)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Source
    grid_code: str = Field(min_length=1, max_length=32, description="a first- or second-level grid's code")
    subject: Subject
    person_name: Optional[str] = Field(None, max_length=50)
    place: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=4000, description="what happened; not empty")
    urgency: Urgency
    consent: bool = Field(description="whether the person agreed to be reported")
    no_consent_reason: Optional[str] = Field(None, max_length=500, description="required when consent is false")
    area: Optional[Area] = Field(None, description="absent: the backend triages it through the assistant")
    work_order_no: Optional[str] = Field(None, max_length=64, description="12345 / department work orders: "
                                         "filing the same number again returns the existing report (200)")
    reporter_conversation_id: Optional[str] = Field(None, max_length=200,
                                                    description="service calls: the grid worker's bound chat")

    @field_validator("text")
    @classmethod
    def _has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(NO_TEXT)
        return value

    @model_validator(mode="after")
    def _reason_without_consent(self) -> "ReportIn":
        if not self.consent and not (self.no_consent_reason or "").strip():
            raise ValueError(NO_REASON)
        return self

    def as_new_report(self) -> NewReport:
        values = self.model_dump()
        for name in ("source", "subject", "urgency", "area"):
            values[name] = values[name].value if values[name] is not None else None
        return NewReport(**values)


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reports: List[ReportIn] = Field(min_length=1, description=f"at most {MAX_BATCH}; stored all or none")


def _one_or_batch(value) -> str:
    return "batch" if isinstance(value, dict) and "reports" in value else "one"


# One report, or {"reports": [...]}: only the matching shape's errors are reported.
ReportsBody = Annotated[Union[Annotated[ReportIn, Tag("one")], Annotated[BatchIn, Tag("batch")]],
                        Discriminator(_one_or_batch)]


class ReportFiled(BaseModel):
    id: int
    number: str
    status: str
    area: Optional[str] = Field(description="null until triage has read it (a moment later)")
    urgent: bool
    handoff_id: Optional[str]
    duplicate: bool = Field(False, description="true: this work order was filed before; nothing new was stored")


class BatchFiled(BaseModel):
    reports: List[ReportFiled]


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    from_status: Optional[str]
    to_status: str
    actor: str
    note: Optional[str]
    created_at: datetime


class ReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    number: str
    source: str
    grid_code: str
    town_code: str
    subject: str
    person_name: Optional[str]
    place: str
    text: str
    urgency: str
    urgent: bool
    danger: bool
    consent: bool
    no_consent_reason: Optional[str]
    area: Optional[str]
    area_by: str
    status: str
    stage_due_at: datetime
    escalated_to: Optional[str]
    dispatch_level: Optional[str]
    dispatch_unit: Optional[str]
    reject_reason: Optional[str]
    outcome: Optional[str]
    work_order_no: Optional[str]
    reporter_name: str
    child_id: Optional[int]
    handoff_id: Optional[str]
    created_at: datetime
    closed_at: Optional[datetime]


class ReportDetail(ReportOut):
    events: List[EventOut]


class NoteIn(BaseModel):
    note: Optional[str] = Field(None, max_length=1000)


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


class DispatchIn(BaseModel):
    level: Level
    unit_code: str = Field(min_length=1, max_length=32, description="the village, town or county unit above the grid")
    note: Optional[str] = Field(None, max_length=1000)


class CloseIn(BaseModel):
    outcome: str = Field(min_length=1, max_length=2000)


class BindingCodeIn(BaseModel):
    user_id: int


class BindingCodeOut(BaseModel):
    code: str
    expires_at: datetime


class BindingIn(BaseModel):
    code: str = Field(min_length=1, max_length=16)
    channel: str = Field(min_length=1, max_length=32, description="telegram, wechat, webchat …")
    conversation_id: str = Field(min_length=1, max_length=200)


class BindingOut(BaseModel):
    user_id: int
    name: str
    role: str
    grid_code: Optional[str]
    grid_name: Optional[str]
    office: Optional[str] = None  # a cadre's federation office (any of the five levels)
    conversation_id: str
    channel: str


class ChildOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str = Field(description="left_behind | difficulty")
    id_masked: str = Field(description="the ID number, masked; the full number is never stored")
    grid_code: str
    guardian: Optional[str]
    last_visit_at: Optional[datetime]
