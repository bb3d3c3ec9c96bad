"""执委学堂 for the assistant (service token): a finished quiz of a cadre whose chat is bound."""
from __future__ import annotations

from assistant_contract.catalogue.quiz import TOPICS
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field, model_validator

from routing import study
from routing.api.dependencies import DatabaseSession, ServiceCaller

TAG = {"name": "study", "description": "执委学堂: quiz results of bound cadres (service token)."}
router = APIRouter(prefix="/api/v1/study", tags=[TAG["name"]], dependencies=[ServiceCaller])
UNBOUND = "这个对话还没有绑定执委或工作人员账号 / this conversation is not bound to a cadre's account"


class ResultIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=200)
    topic: str = Field(pattern="^(" + "|".join(TOPICS) + ")$")
    score: int = Field(ge=0, le=100)
    total: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def score_within_total(self) -> "ResultIn":
        if self.score > self.total:
            raise ValueError("score above total")
        return self


class ResultOut(BaseModel):
    level: str
    region: str
    topic: str
    score: int
    total: int


@router.post("/results", response_model=ResultOut, status_code=status.HTTP_201_CREATED)
def record(body: ResultIn, db: DatabaseSession) -> ResultOut:
    try:
        result = study.record(db, conversation_id=body.conversation_id, topic=body.topic, score=body.score,
                              total=body.total)
    except study.NotBound as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, UNBOUND) from error
    return ResultOut(level=result.level, region=result.region, topic=result.topic, score=result.score,
                     total=result.total)
