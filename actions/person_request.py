"""Does her message ask for a person, and which kind?

"我要找律师！前夫一年没给抚养费了" asks for a lawyer *and* about child support;
"律师说被家暴的离婚不用等冷静期 是真的吗" only mentions one. The classifier gives
one intent per message, so this reading runs beside it on her words: the request
decides that a handoff opens, the topic decides where it goes. A role she names
(律师 → 法律维权) routes the handoff when her words name no topic. "不用找律师了"
takes a request back and is not one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Optional

from bot.human_request import wants_human

ROLES = (  # (pattern, what she reads, service area)
    (r"(?i)律师|法律顾问|lawyer|attorney", "律师", "legal"),
    (r"(?i)心理(咨询|辅导)?(师|老师|医生|专家|辅导员)|咨询师|社工|心理咨询|心理辅导|counsel+or|therapist|social ?worker",
     "心理咨询师", "care"),
    (r"家庭教育(老师|指导师|专家)|教育专家|教育老师|老师", "家庭教育指导师", "family_education"),
    (r"(?i)创业导师|导师|创业专家|就业指导|mentor|coach", "创业就业导师", "entrepreneurship"),
)
# "hi 想找个mentor聊聊", "can I talk to a real person": the same requests in English words
_ENGLISH_PERSON = r"(mentor|coach|lawyer|attorney|counsel+or|therapist|social ?worker|expert|advisor|adviser|real person|human)"
_ENGLISH_REQUEST = re.compile(
    r"(找|搵|揾|约|联系|要|请|介绍|推荐|有没有|有冇)(个|一个|一位|位)?\s*(a |an )?" + _ENGLISH_PERSON
    + r"|(talk|speak|chat) (to|with) (a |an |the )?" + _ENGLISH_PERSON
    + r"|(need|want|find|get) (a |an )?" + _ENGLISH_PERSON, re.IGNORECASE)
_MORE_REQUESTS = re.compile(
    r"(约|联系|找|搵|揾|安排|预约|介绍|帮我找|帮我约|想请|要请|帮我请)(个|一个|一位|位)?"
    r"(创业导师|导师|家庭教育老师|家庭教育指导师|老师|专家|心理(咨询|辅导)?(师|老师|医生|专家)|咨询师|心理辅导|律师|社工|真人)"
    r"|(叫|让|安排|找)(个|一个|一位)?(人|工作人员|专家|律师|老师).{0,4}(打电话|打个电话|联系我|回电话)"
    r"|(打电话|回电话)给我(?!妈|爸|老|家|们家|女|儿|姐|妹|哥|弟|婆|公)|(跟|和|同)(真人|人工|律师|专家|老师|工作人员).{0,3}(聊|谈|倾|说|讲)"
    # "我想跟家庭教育专家聊聊": the kind of person she wants to talk to, named before the role
    r"|(想|要|希望|能不能|可以)(跟|和|同)[^，。？！,.?!\s]{1,6}(专家|律师|咨询师|导师|指导师|社工)(聊|谈|倾|说|讲)"
    r"|(想|要)(跟|和|同)(真人|人)(说|聊|倾|讲)|真人(说|聊|倾)"
    # "有没有创业导师能指导下": asking whether there is one, to be helped by her (a plain "老师" is
    # left out: "有没有老师可以辅导作业" asks about tutoring, not for the federation's person)
    # "有没有懂婚姻法的律师帮我看看": the kind of person may be described first ("懂…的")
    # "有没有懂教育的老师能跟我说说": a 老师 described as one who knows is the federation's person;
    # "有没有创业导师可以1 on 1 talk一下": the help she wants may come a few words later
    r"|(有没有|有冇|有无)(个|一个|一位|位)?([^，。？！,.?!\s]{1,8}的)?(创业导师|导师|律师|心理(咨询|辅导)?(师|老师|医生|专家)"
    r"|咨询师|家庭教育(老师|指导师|专家)|社工).{0,2}(能|可以|可|会)?.{0,8}?"
    r"(指导|帮|辅导|聊|问|咨询|给我|教|看看|跟我(说|讲|倾)|同我(说|讲|倾)|talk|chat|一对一|1对1|1on1|1 on 1)"
    r"|(有没有|有冇|有无)(个|一个|一位|位)?(懂|会|专业|做)[^，。？！,.?!\s]{0,6}的老师.{0,2}(能|可以|可|会)?"
    r"(指导|辅导|聊|跟我(说|聊|讲)|同我(说|倾)|教我|帮我)"
    # "能不能让心理老师跟我聊聊"; "就想有个人听我说说"
    r"|(让|叫|请|安排)(个|一个|一位|位)?(律师|心理(咨询)?(师|老师|医生|专家)|咨询师|专家|社工|真人|工作人员)"
    r"(跟|和|同|陪)我(聊|谈|说|倾|讲)"
    r"|(有个|有一个|找个|搵个|揾个)人(听我|陪我|同我)(说|聊|倾|讲)"
    # "你们有没有律师" / "有律师吗" on their own; "推荐一个离婚律师"; "想找人咨询一下离婚的事"
    r"|^(你们|妇联)?(有没有|有冇|有)(个|一个|一位)?(律师|心理(咨询)?(师|老师|医生|专家)|咨询师|社工|创业导师)(吗|嘛|冇|没有|不)?[\W]*$"
    r"|(推荐|介绍)(一个|个|一位|位)?.{0,4}(律师|心理(咨询)?(师|老师|医生|专家)|咨询师|社工|创业导师)"
    r"|(?<!不想)(?<!不用)(?<!不要)(?<!唔想)(找|搵|揾)(个)?人(咨询|问问|问一下)"
)
_TAKES_BACK = re.compile(r"(不用|不要|不想|不需要|唔使|唔要|算了)(再)?(转|找|约|联系|请)?(人工|真人|律师|专家|咨询师|老师|导师|工作人员|了)"
                         r"|取消(转|找|约|联系|请)?(人工|真人|律师|专家|咨询师|老师|导师|工作人员)")
# Taking back a request already made: the word for cancelling, about the request or
# ending the message ("撤销监护资格" is a question, not a withdrawal).
_WITHDRAWS = re.compile(
    r"(取消|撤回|撤销|撤掉|撤了|撤咗|取消咗)(我的|那个|这个|刚才那个|刚才的|之前的|嗰个)?(求助|申请|转接|预约|工单|人工)"
    r"|(帮我|帮俺|给我|给俺|帮我把它|麻烦)(把它|把那个)?(取消|撤回|撤销|撤掉|撤了|撤咗)(咗|了)?(吧|啦|了|掉|佢)?[\W]*$"
    r"|(取消|撤回|撤了|撤咗)(了|咗)?(吧|啦|掉|佢)[\W]*$|(^|[\W])(取消|撤回)(了|咗)?(吧|啦)([\W]|$)"
    r"|never ?mind|cancel (it|that|the request)|(?<![A-Za-z])cancel(吧|啦|了|掉|咗)")
_ABOUT_A_PERSON = re.compile(r"(律师|专家|老师|医生|咨询师)(说|讲|话|告诉我|建议)")
_IS_IT_A_PERSON = re.compile(r"(是不是|是否|系唔系|是)(个)?真人|真人(吗|嘛|来的|回复)")


@dataclass(frozen=True)
class PersonRequest:
    role: str  # what she reads: 律师, 心理咨询师 … or 工作人员
    category: Optional[str]  # the service area the role belongs to, if it names one


def named_person(parse: Dict[str, Any]) -> Optional[PersonRequest]:
    """The kind of person the NLU found in a request for a person ("安排心理专家跟我聊一下"
    → 心理专家, care): `person_kind` in the parse (nlu/person_kind.py owns the kinds)."""
    found = parse.get("person_kind") or {}
    if (parse.get("intent") or {}).get("name") != "request_human" or not found.get("kind"):
        return None
    return PersonRequest(str(found["kind"]), found.get("area"))


def person_request(text: str) -> Optional[PersonRequest]:
    """Her request for a person in the (normalised) message, or None."""
    if not text or _TAKES_BACK.search(text) or _IS_IT_A_PERSON.search(text):
        return None
    asks = wants_human(text) or bool(_MORE_REQUESTS.search(text)) or bool(_ENGLISH_REQUEST.search(text))
    if not asks:
        return None
    if _ABOUT_A_PERSON.search(text) and not re.search(r"(找|要|约|联系|帮我|转)", text):
        return None
    for pattern, role, category in ROLES:
        if re.search(pattern, text):
            return PersonRequest(role, category)
    return PersonRequest("工作人员", None)


def takes_back(text: str) -> bool:
    """She no longer wants the person she asked for ("算了 不用了", "不用转人工了",
    "刚才那个帮我取消吧", "帮我撤了吧")."""
    return bool(_TAKES_BACK.search(text or "") or _WITHDRAWS.search(text or "")) or bool(
        re.fullmatch(r"[\W]*(算了|不用了|不要了|唔使了)[\W]*", text or ""))


_REQUEST_WORDS = re.compile(
    r"(我|我想|我要|想|要|帮我|能不能|能|可以|可不可以|麻烦|请)?(帮我)?(找|搵|揾|约|联系|预约|安排|介绍|转|请|咨询|接通)?"
    r"(个|一个|一位|位)?(真人|人工客服|人工|律师|法律顾问|心理(咨询)?(师|老师|医生|专家)|咨询师|社工|家庭教育(老师|指导师|专家)"
    r"|创业导师|导师|专家|老师|工作人员)(一对一)?(聊聊|聊一下|谈谈|说说|倾下|倾|问问|联系一个|帮忙)?(吗|吧|呀|啊|行不|好吗)?"
)


def without_request(text: str) -> str:
    """Her words without the request for a person: what is left says the topic, if anything."""
    rest = _REQUEST_WORDS.sub("", _MORE_REQUESTS.sub("", _ENGLISH_REQUEST.sub("", text or "")))
    return rest if len(re.sub(r"[\W\d]", "", rest)) >= 4 else ""
