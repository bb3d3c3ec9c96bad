"""Courses and learning material (公开课、知识库) by life stage and service area, their
schema check, and the two ways the assistant takes them: one or two to recommend after
an answer, and a search for 「有没有…的课」.

A course is what the federation offers or would cover, described in words: it is never
presented as a recording that exists, and its card says 「以当地妇联实际开课安排为准」.
The files are `catalogue/courses/<life stage>.yml`, a list under `courses:`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from assistant_contract.areas import AREAS
from assistant_contract.catalogue import FOLDER, schemas
from assistant_contract.catalogue.sources import (
    CatalogueError, duplicate_ids, invented_numbers, prose, read_yaml, sources_and_date, strings,
)

COURSES_FOLDER = FOLDER / "courses"
LIFE_STAGES = ("pregnancy", "early_childhood", "adolescence", "employment", "business", "marriage", "later_life")
LIFE_STAGE_TITLES = {
    "pregnancy": "孕产期", "early_childhood": "婴幼儿与学前", "adolescence": "青春期",
    "employment": "就业", "business": "创业", "marriage": "婚姻家庭", "later_life": "中老年",
}
KINDS = {"course": "公开课", "article": "知识库文章"}
MIN_SUMMARY = 150  # characters of real content
POINTS_RANGE = (3, 6)
SCHEDULE_NOTE = "以当地妇联实际开课安排为准"
# Words that would promise a recording or a live class that may not exist.
_PROMISES = re.compile(r"视频(?!通话|电话|聊天)|录播|回放|点击观看|立即观看|扫码观看|已上线|在线播放")
COURSE_ITEM = {
    "type": "object",
    "required": ["id", "title", "life_stage", "area", "kind", "summary", "points", "audience", "checked"],
    "additionalProperties": False,
    "properties": {
        "id": schemas.IDENTIFIER, "title": schemas.TEXT, "life_stage": {"enum": list(LIFE_STAGES)},
        "area": {"enum": list(AREAS)}, "kind": {"enum": list(KINDS)}, "summary": schemas.TEXT,
        "points": schemas.TEXTS, "audience": schemas.TEXT, "sources": schemas.TEXTS, "checked": schemas.DATE,
        "keywords": schemas.TEXTS, "intents": schemas.TEXTS,
    },
}
_ASKING = re.compile(
    r"有没有|有冇|有无|有什么|有哪些|有啲|想学|想听|想了解|推荐|介绍|关于|哪里有|去哪|可以学|能学|"
    r"[的嘅]?(?:公开课|网课|课程|课|讲座|培训|学习资料|资料|文章|知识)|讲讲|讲|教|一下|吗|呢|啊|呀|[？?！!。，,、\s]")


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    life_stage: str
    area: str
    kind: str
    summary: str
    points: Tuple[str, ...]
    audience: str
    sources: Tuple[str, ...]
    checked: date
    keywords: Tuple[str, ...] = ()
    intents: Tuple[str, ...] = ()

    @property
    def search_text(self) -> str:
        return " ".join((self.title, " ".join(self.keywords), " ".join(self.points), self.audience))

    def card(self) -> str:
        """A short card for a recommendation: what it is, what it teaches, when it runs."""
        first = re.split(r"(?<=[。！？])", self.summary, maxsplit=1)[0]
        note = f"（{SCHEDULE_NOTE}）" if self.kind == "course" else ""
        return f"【{KINDS[self.kind]}】{self.title}\n{first}\n会讲到：" + "；".join(self.points[:3]) + note

    def full_text(self) -> str:
        parts = [f"【{KINDS[self.kind]}】{self.title}", self.summary,
                 "主要内容：\n" + "\n".join(f"· {point}" for point in self.points), f"适合：{self.audience}"]
        if self.sources:
            parts.append("依据：" + "；".join(self.sources))
        if self.kind == "course":
            parts.append(f"开课时间和形式{SCHEDULE_NOTE}。")
        return "\n\n".join(parts)


def course(item: Dict[str, Any], where: str) -> Tuple[Optional[Course], List[str]]:
    """The course of one YAML item (None when a field is missing) and every problem in it."""
    problems = schemas.problems(item, COURSE_ITEM, where)
    if problems:
        return None, problems
    sources, checked, source_problems = sources_and_date(item, where, required=False)
    problems += source_problems
    if checked is None:
        return None, problems
    built = Course(
        id=str(item["id"]), title=str(item["title"]).strip(), life_stage=str(item["life_stage"]),
        area=str(item["area"]), kind=str(item["kind"]), summary=prose(item["summary"]),
        points=strings(item["points"]), audience=str(item["audience"]).strip(), sources=sources, checked=checked,
        keywords=strings(item.get("keywords")), intents=strings(item.get("intents")),
    )
    if not built.id.startswith("course."):
        problems.append(f"{where}: id must start with 'course.'")
    if len(built.summary) < MIN_SUMMARY:
        problems.append(f"{where}: summary has {len(built.summary)} characters, needs at least {MIN_SUMMARY}")
    if not POINTS_RANGE[0] <= len(built.points) <= POINTS_RANGE[1]:
        problems.append(f"{where}: needs {POINTS_RANGE[0]} to {POINTS_RANGE[1]} points, has {len(built.points)}")
    text = " ".join((built.title, built.summary, " ".join(built.points), built.audience))
    if _PROMISES.search(text):
        problems.append(f"{where}: promises a recording or broadcast ('{_PROMISES.search(text).group()}'): "
                        f"describe what the course covers, {SCHEDULE_NOTE}")
    problems += [f"{where}: '{number}' looks like a phone number that is not a public hotline"
                 for number in invented_numbers(text)]
    return built, problems


def read_courses(folder: Path = COURSES_FOLDER) -> Tuple[Course, ...]:
    """Every course of every file in the folder; raises CatalogueError listing every problem."""
    courses: List[Course] = []
    problems: List[str] = []
    files = sorted(Path(folder).glob("*.yml"))
    if not files:
        raise CatalogueError(f"{folder}: no course files")
    for path in files:
        data = read_yaml(path)
        items = data.get("courses") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            problems.append(f"{path.name}: expected a non-empty list under 'courses:'")
            continue
        for number, item in enumerate(items, start=1):
            item = item if isinstance(item, dict) else {}
            built, found = course(item, f"{path.name}#{number} ({item.get('id')})")
            problems += found
            if built:
                courses.append(built)
    problems += duplicate_ids((c.id for c in courses), "course")
    if problems:
        raise CatalogueError("\n".join(problems))
    return tuple(courses)


def _bigrams(text: str) -> set:
    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def subject_of(question: str) -> str:
    """What a request for a course is about: 「有没有讲产假的课」 → 「产假」."""
    return _ASKING.sub(" ", question).strip()


def _word_score(course: Course, words: str) -> float:
    if not words:
        return 0.0
    score = sum(3.0 for keyword in course.keywords if keyword in words)
    score += 2.0 * sum(1 for part in words.split() if len(part) >= 2 and part in course.title)
    wanted = _bigrams(words)
    if wanted:
        score += 2.0 * len(wanted & _bigrams(course.title + " ".join(course.keywords))) / len(wanted)
        score += len(wanted & _bigrams(course.search_text)) / len(wanted)
    return score


def search(courses: Iterable[Course], question: str, limit: int = 3) -> List[Course]:
    """Courses about what she asks for (「有没有…的课」), best first; empty when none fits."""
    subject = subject_of(question)
    scored = [(_word_score(c, subject), c) for c in courses]
    scored = [(score, c) for score, c in scored if score >= 1.0]
    return [c for _, c in sorted(scored, key=lambda pair: (-pair[0], pair[1].id))][:limit]


def recommend(courses: Sequence[Course], *, area: Optional[str] = None, intent: Optional[str] = None,
              life_stage: Optional[str] = None, text: str = "", exclude: Iterable[str] = (),
              limit: int = 2) -> List[Course]:
    """One or two courses that fit the conversation: her intent first, then her life stage,
    the words she used and the area. Nothing when nothing fits better than the area alone
    (a course on the area in general would read as an advertisement)."""
    excluded = set(exclude)
    scored = []
    for c in courses:
        if c.id in excluded:
            continue
        score = (4.0 if intent and intent in c.intents else 0.0) + (2.0 if life_stage == c.life_stage else 0.0)
        score += _word_score(c, text) if text else 0.0
        if score <= 0:
            continue
        score += 1.0 if area and area == c.area else 0.0
        scored.append((score, c))
    return [c for _, c in sorted(scored, key=lambda pair: (-pair[0], pair[1].id))][:limit]
