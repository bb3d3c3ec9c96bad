"""Short follow-ups in the topic in play: "要钱吗", "去哪里告", "要多久",
"他不同意怎么办", "我兒子今年九歲，他想跟我", "要先交2000手续费".

She asks about one side of the answer she just read (what it costs, where to go,
how long, what to bring, whether she can sue, what if he refuses, whether to see a
doctor, what her child's age changes) or tells a new fact. Sending the whole answer again would
be the same long text word for word; sending the menu of four areas would lose
her. So the reply is the few sentences of the topic's FAQ entries that speak to
that side and to her own words: each cue word of the side counts (two at most),
the words she shares with a sentence count less. The entry she just read is
preferred; an entry the caller found for her words in the same area is taken
when it answers that side clearly better.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from assistant_contract.catalogue.entries import FaqEntry

# What she asks about → words in her message; words a sentence needs to answer it.
ASPECTS: Dict[str, Tuple[str, str]] = {
    "cost": (r"钱|费|收费|免费|贵|价格|使唔使|花多少|补贴|补助|资助|津贴|\bcost|\bfee|\bfree\b|how much|\bprice",
             r"免费|收费|不收|费用|补贴|贴息|资助|不要钱|元|自费|报销"),
    "pay": (r"交|转账|转|付|汇|打钱|手续费|保证金|押金|充值",
            r"不要|别|转账|止付|冻结|诈骗|骗|报警|110|96110"),
    "where": (r"哪里|哪儿|在哪|去哪|什么地方|哪个部门|哪个单位|找谁|边度|边个|到哪|哪个法院|谁(能|来|会|可以)?管|有人管|没人管",
              r"法院|部门|中心|机关|妇联|医院|卫生院|保健院|居委会|村委会|派出所|人社|民政|平台|窗口|学校|市场监督|残联|银行|政府|街道|乡镇"),
    "duration": (r"多久|几天|多长时间|多少天|几耐|什么时候|几时|多快|批下来|时效|how long",
                 r"\d+天|\d+小时|小时|天内|个月|期限|时效|以内|之内|作出|\d+日|有效期"),
    "documents": (r"材料|证件|带什么|带咩|准备什么|手续|身份证|证明|要带",
                  r"材料|证件|身份证|证明|户口|病历|照片|带上|准备|提交|合同|诊断"),
    "sue": (r"告|起诉|打官司|法院|仲裁|诉讼|维权|追究",
            r"起诉|诉讼|法院|仲裁|调解|投诉|申请|强制执行|报案"),
    "refuses": (r"不同意|不给|不肯|不批|拒绝|唔批|唔俾|不配合|不理|不认|赖账|不签|不让|不准|唔肯|不听|唔听|违反|不遵守|不管用|照样|还敢"
                r"|还来|又来|还找|还骚扰|还是来|继续(骚扰|打|找|来)|唔理|照打|照样打|仍然打|还是打|没钱给|冇钱俾|没(有)?(工作|收入)(.{0,3})?(给|俾|付)?",
                r"不同意|拒不|不给|强制执行|法院|起诉|仲裁|投诉|12333|监察|调解|违反|训诫|罚款|拘留|刑事"),
    "age": (r"\d+\s*(岁|周岁|了)|[一二两三四五六七八九十]+\s*(岁|周岁)|[岁歲]|年级|初[一二三]|高[一二三]|小学|幼儿园|我今年",
            r"岁|周岁|年龄|意愿|满|适龄|未成年|年级"),
    "conditions": (r"条件|要求|资格|符合|可以吗|行吗|能不能|可不可以|户口|外地|本地|担保|抵押"
                   r"|collateral|guarantor|eligib|qualif|requirement",
                   r"条件|符合|可以|户籍|户口|适龄|不需要|要求|担保|都可以|申请"),
    "next": (r"怎么办|怎么做|怎么弄|怎么搞|咋办|咋弄|咋整|下一步|接下来|然后|第一步|点算|点做|点搞|该做什么"
             r"|(可以|能|还能|应该)做(些|点|啲)?(什么|啥|咩)|做啲咩",
             r"可以|申请|拨打|保留|联系|找|投诉|起诉|报警"),
    "recover": (r"追回|追得回|拿回|要回|退回|挽回|攞返|拎返",
                r"止付|冻结|报案|报警|公安|追赃|起诉|银行|96110"),
    "evidence": (r"证据|拍照|照片|录音|截(了|个)?图|截屏|验伤|伤|血",
                 r"证据|照片|病历|录音|截图|保留|验伤|伤情|就医"),
    "doctor": (r"看医生|睇医生|去医院|看病|看心理|心理医生|精神科|吃药|食药|要不要看",
               r"心理|医生|医院|专业|精神|咨询|门诊"),
    "child": (r"孩子|儿子|女儿|个仔|个女|宝宝|小孩",
              r"孩子|子女|儿童|未成年|抚养|监护"),
}
_SENTENCE_END = re.compile(r"(?<=[。！？；])|\n")
_STOP = set("的了吗呢吧啊呀我你他她是在有就也都要会能可这那个和与及或")
MAX_SENTENCES = 3
MAX_CHARS = 220


def aspects_of(text: str) -> List[str]:
    """The sides of the topic her message asks about, in the order of ASPECTS."""
    return [name for name, (asked, _) in ASPECTS.items() if re.search(asked, text or "", re.IGNORECASE)]


def sentences(entry: FaqEntry) -> List[str]:
    """The answer's sentences, then the next step's, in order."""
    parts = []
    for block in (entry.answer, entry.next_step):
        parts.extend(piece.strip(" 　") for piece in _SENTENCE_END.split(block) if piece and piece.strip(" 　"))
    return [p for p in parts if len(p) >= 6]


def _bigrams(text: str) -> set:
    letters = [c for c in text if c.strip() and c not in _STOP and not re.match(r"[\W\d]", c)]
    return {a + b for a, b in zip(letters, letters[1:])}


@dataclass(frozen=True)
class Passage:
    entry: FaqEntry
    sentences: Tuple[str, ...]
    score: float

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)


def best_passage(entry: FaqEntry, text: str, asked: Sequence[str]) -> Passage:
    """The sentences of `entry` that best answer `asked` in her words, in their order."""
    theirs = _bigrams(text)
    scored = []
    for position, sentence in enumerate(sentences(entry)):
        cue = sum(2.0 * min(2, len(set(re.findall(ASPECTS[name][1], sentence)))) for name in asked)
        shared = len(theirs & _bigrams(sentence))
        if cue or shared:
            scored.append((cue + min(shared, 4) * 0.75 - position * 0.01, position, sentence))
    chosen = [item for item in sorted(scored, reverse=True) if item[0] > 0][:MAX_SENTENCES]
    chosen.sort(key=lambda item: item[1])
    picked, length = [], 0
    for _, _, sentence in chosen:
        if length + len(sentence) > MAX_CHARS and picked:
            break
        picked.append(sentence)
        length += len(sentence)
    score = sum(item[0] for item in sorted(scored, reverse=True)[:2])
    return Passage(entry, tuple(picked), score)


def answer_follow_up(text: str, current: Optional[FaqEntry], others: Sequence[FaqEntry],
                     also_asked: Sequence[str] = (), prefer_current: float = 3.0) -> Optional[Passage]:
    """The best passage for her follow-up among the current entry and the other
    candidates of the same area; None when nothing in them speaks to it.
    `also_asked`: sides the caller knows she asks about beyond her words (a place
    she names asks "where")."""
    asked = list(dict.fromkeys(aspects_of(text) + [a for a in also_asked if a in ASPECTS]))
    candidates = ([current] if current else []) + [e for e in others if not current or e.id != current.id]
    best: Optional[Passage] = None
    for entry in candidates:
        passage = best_passage(entry, text, asked)
        bonus = prefer_current if current and entry.id == current.id else 0.0
        if passage.sentences and (best is None or passage.score + bonus > best.score):
            best = Passage(passage.entry, passage.sentences, passage.score + bonus)
    return best


SETTLES = 1.8  # how far one entry's best passage must lead the others' for what she asks to settle a choice
SETTLED_SCORE = 6.0  # and at least this: one cue word of a side she asks about and a few of her words


def settled_by_what_she_asks(text: str, entries: Sequence[FaqEntry]) -> Optional[FaqEntry]:
    """Of close entries, the one whose sentences clearly answer the side she asks about
    ("离婚要分居多久法院才判": how long, in court → how a divorce goes, not dividing property);
    None when she asks no side or no entry clearly leads."""
    asked = aspects_of(text)
    if not asked or len(entries) < 2:
        return None
    scored = sorted(((best_passage(entry, text, asked).score, position) for position, entry in enumerate(entries)),
                    reverse=True)
    (top, winner), (second, _) = scored[0], scored[1]
    return entries[winner] if top >= SETTLED_SCORE and top >= SETTLES * second else None

