"""执委学堂's quiz: multiple-choice questions for federation cadres and executive committee
members, grouped by topic, written from the knowledge base and the laws it cites.

A question has three or four options, exactly one right answer among them, an
explanation, and its source: a law and its article, with the date it was checked. The
questions on this service's own rules (the 48-hour promise, privacy, hotlines) cite the
knowledge entries that state those rules instead (`faq:`). The files are
`catalogue/quiz/<topic>.yml`: a `topic`, its `title`, and a list under `questions:`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional, Tuple

from assistant_contract.catalogue import FOLDER, schemas
from assistant_contract.catalogue.sources import (
    CatalogueError, duplicate_ids, prose, read_yaml, sources_and_date, strings,
)

QUIZ_FOLDER = FOLDER / "quiz"
TOPICS = {
    "federation": "妇联组织和职责",
    "women_rights": "妇女权益保障法",
    "domestic_violence": "反家庭暴力法",
    "dv_report": "接到家暴求助怎么办",
    "marriage_family": "民法典婚姻家庭编",
    "employment": "女职工劳动权益",
    "minors": "未成年人保护法",
    "family_education": "家庭教育促进法",
    "service": "本服务的规则：48小时回应等",
}
SERVICE_TOPIC = "service"  # its questions may rest on the service's own knowledge entries
OPTION_COUNT = (3, 4)
LETTERS = "ABCD"
_ARTICLE = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+条")
QUESTION_ITEM = {
    "type": "object",
    "required": ["id", "question", "options", "answer", "explanation", "checked"],
    "additionalProperties": False,
    "properties": {
        "id": schemas.IDENTIFIER, "question": schemas.TEXT, "options": schemas.TEXTS, "answer": schemas.TEXT,
        "explanation": schemas.TEXT, "sources": schemas.TEXTS, "faq": schemas.TEXTS, "checked": schemas.DATE,
    },
}


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    question: str
    options: Tuple[str, ...]
    answer: str
    explanation: str
    sources: Tuple[str, ...]
    faq: Tuple[str, ...]
    checked: date

    @property
    def answer_index(self) -> int:
        return self.options.index(self.answer)

    def choice(self, said: str) -> Optional[int]:
        """The option she chose: its letter (A–D), its number (1–4) or its text; None if unclear."""
        said = said.strip().rstrip("。.．、)）")
        if len(said) == 1 and said.upper() in LETTERS[: len(self.options)]:
            return LETTERS.index(said.upper())
        if said.isdigit() and 1 <= int(said) <= len(self.options):
            return int(said) - 1
        matches = [index for index, option in enumerate(self.options) if said and said == option.strip()]
        return matches[0] if len(matches) == 1 else None

    def is_right(self, said: str) -> bool:
        return self.choice(said) == self.answer_index

    def prompt(self) -> str:
        return self.question + "\n" + "\n".join(f"{LETTERS[i]}. {option}" for i, option in enumerate(self.options))

    def feedback(self, said: str) -> str:
        """What she reads after answering: right or not, the right answer, why, and the source."""
        head = "答对了！" if self.is_right(said) else f"正确答案是 {LETTERS[self.answer_index]}. {self.answer}。"
        basis = "依据：" + "；".join(self.sources) if self.sources else ""
        return "\n".join(part for part in (head, self.explanation, basis) if part)


@dataclass(frozen=True)
class QuizTopic:
    topic: str
    title: str
    questions: Tuple[Question, ...]


def question(item: Dict[str, Any], topic: str, where: str,
             known_faq: Optional[Collection[str]] = None) -> Tuple[Optional[Question], List[str]]:
    """The question of one YAML item (None when a field is missing) and every problem in it."""
    problems = schemas.problems(item, QUESTION_ITEM, where)
    if problems:
        return None, problems
    sources, checked, source_problems = sources_and_date(item, where, required=topic != SERVICE_TOPIC)
    problems += source_problems
    if checked is None:
        return None, problems
    options = strings(item["options"])
    built = Question(
        id=str(item["id"]), topic=topic, question=str(item["question"]).strip(), options=options,
        answer=str(item["answer"]).strip(), explanation=prose(item["explanation"]),
        sources=sources, faq=strings(item.get("faq")), checked=checked,
    )
    if not built.id.startswith("quiz."):
        problems.append(f"{where}: id must start with 'quiz.'")
    if not OPTION_COUNT[0] <= len(options) <= OPTION_COUNT[1]:
        problems.append(f"{where}: needs {OPTION_COUNT[0]} or {OPTION_COUNT[1]} options, has {len(options)}")
    if len(set(options)) != len(options):
        problems.append(f"{where}: two options are the same")
    if options.count(built.answer) != 1:
        problems.append(f"{where}: the answer '{built.answer}' is not one of its options")
    if topic != SERVICE_TOPIC and not any(_ARTICLE.search(source) for source in sources):
        problems.append(f"{where}: no source names an article (第…条): cite the law and its article")
    if topic == SERVICE_TOPIC and not (sources or built.faq):
        problems.append(f"{where}: cite the knowledge entry that states the rule (faq: [service.…]) or a law")
    if known_faq is not None:
        problems += [f"{where}: unknown knowledge entry '{faq_id}'" for faq_id in built.faq if faq_id not in known_faq]
    return built, problems


def read_topic(path: Path, known_faq: Optional[Collection[str]] = None) -> Tuple[Optional[QuizTopic], List[str]]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        return None, [f"{path.name}: expected 'topic', 'title' and 'questions'"]
    topic = str(data.get("topic") or "")
    if topic not in TOPICS:
        return None, [f"{path.name}: topic must be one of {', '.join(TOPICS)}, not '{topic}'"]
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        return None, [f"{path.name}: expected a non-empty list under 'questions:'"]
    built, problems = [], []
    for number, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        made, found = question(item, topic, f"{path.name}#{number} ({item.get('id')})", known_faq)
        problems += found
        if made:
            built.append(made)
    return QuizTopic(topic, str(data.get("title") or TOPICS[topic]), tuple(built)), problems


def read_quiz(folder: Path = QUIZ_FOLDER, known_faq: Optional[Collection[str]] = None) -> Dict[str, QuizTopic]:
    """Every topic's questions; raises CatalogueError listing every problem in every file.
    `known_faq`: the knowledge entry ids a question may cite (checked when given)."""
    topics: Dict[str, QuizTopic] = {}
    problems: List[str] = []
    files = sorted(Path(folder).glob("*.yml"))
    if not files:
        raise CatalogueError(f"{folder}: no quiz files")
    for path in files:
        built, found = read_topic(path, known_faq)
        problems += found
        if built is None:
            continue
        if built.topic in topics:
            problems.append(f"{path.name}: topic '{built.topic}' is also in another file")
        topics[built.topic] = built
    problems += duplicate_ids((q.id for t in topics.values() for q in t.questions), "question")
    if problems:
        raise CatalogueError("\n".join(problems))
    return topics
