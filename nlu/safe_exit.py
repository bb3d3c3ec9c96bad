"""Safe exit in her own words, and the fear that someone reads her phone.

"安全退出", "退出", "删掉记录", "清空聊天", "他过来了 快删", "can you delete this
chat" all mean: hide this conversation now. A woman types these with him in the
room, so the command must be understood in any wording, never become a request
for a person, and never depend on how sure the classifier is: `IntentDecision`
makes an exit command `safe_exit` right after a danger check.

A message is an exit command when, once every exit word, chat word, filler and
"he is coming" word is taken out, nothing is left: "我想退出志愿者" keeps
"志愿者" and stays a question about volunteering. Asking *how* to delete
("怎么删除聊天记录") is a question, not a command: the assistant explains instead
of going quiet. Pure functions over normalised text (nlu/text.py), no Rasa.
"""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\s,.!?;:~…、，。！？；：～\"'“”‘’()（）\[\]【】*#-]+")
EXIT_WORDS = (
    r"安全退出|退出(聊天|对话|登录|去)?|退了|快退|登出|关掉|关了"
    r"|删(掉|除|了|咗|晒|光|干净)?|清(空|除|掉|咗|理|干净)"
    r"|delete|clear|exit|quit|logout|wipe"
)
# "他来了" alone, or "老公回来了 先不说了": he is there and she stops talking. The whole
# message must be made of these words: "我老公出差回来了 还是天天打游戏" is a story.
_HE_ARRIVES = r"来了|回来了|过来了|进来了|返来|返嚟|嚟咗|来咗|返咗嚟|coming|here|back|home"
_STOPS_TALKING = r"不说了|不聊了|先不说|先不聊|下次再说|等下再说|回头再说|迟啲再倾|唔讲住|唔倾住|gottago|gtg"
_CHAT_WORDS = (
    r"聊天记录|对话记录|聊天内容|记录|对话|聊天|消息|信息|内容|痕迹|这个|这些|那些|刚才的|刚刚的|之前的|我们的"
    r"|全部|所有|都|一下|chat|history|messages|message|everything|all|this|it|the|my"
)
_FILLERS = (
    r"我|要|想|得|先|请|帮我|帮忙|麻烦|快点|快|马上|赶紧|立刻|把|给|将|吧|了|啊|呀|啦|喇|嘞|咯|哦|喔|呢|嘛|一下子"
    r"|可以|能不能|能|可唔可以|唔该|好吗|行吗|吗|那就|那|现在|就|好的|嗯"
    r"|canyou|couldyou|please|pls|plz|now|asap|quickly|quick|wait|ok|okay|hurry"
)
_HE_IS_COMING = (
    r"他|她|佢|老公|老婆|男朋友|婆婆|公公|家里人|家人|来了|回来了|过来了|进来了|返来|返嚟|嚟咗|来咗|在旁边|在身边|在看"
    r"|看到|看见|发现|知道|怕|担心|imscared|scared|hescoming|heiscoming|here|hes|he|is|coming|back|home"
)
_WOULD_SEE = re.compile(r"看见|看到|发现|睇到|知道我")
_HOW = re.compile(r"怎么|怎样|如何|点样|点先|怎么样才|how")
_EXIT = re.compile(EXIT_WORDS)
_ALL_KNOWN = re.compile("|".join(f"(?:{part})" for part in (
    EXIT_WORDS, _CHAT_WORDS, _FILLERS, _STOPS_TALKING, _HE_IS_COMING)))
_STOPS = re.compile(f"{EXIT_WORDS}|{_STOPS_TALKING}")
_ARRIVES = re.compile(_HE_ARRIVES)
_HE = re.compile(r"他|佢|老公|男朋友|男人|婆婆|公公|家里人|家人|he|hes")
_ASKS = re.compile(r"吗|嘛|未|没有|咩|\?|？")

_READS_HER_PHONE = re.compile(
    r"(翻|看|查|检查|偷看|睇|check)(我|我的)?(的)?(手机|微信|聊天|记录|消息|电话|phone)"
    r"|(手机|微信|聊天记录|记录).{0,6}(被|俾)(他|她|佢|人|老公|家里人|婆婆)?.{0,3}(看|翻|查|睇)"
    r"|(拿|抢|用|偷)(我|我的)(的)?(手机|电话).{0,3}(看|翻|查|睇)"
    r"|(怕|担心|唔想).{0,8}(看到|看见|发现|知道|睇到)"
    r"|(他|佢|老公|家里人|婆婆|别人).{0,3}(会|能|可以|会不会|能不能)?(看|睇)(得|唔|不)?(看|睇)?(到|见)"
    r"|不留痕迹|不被发现"
)


def _words(text: str) -> str:
    """Lower case, without spaces, punctuation and apostrophes: "安全 退出！", "can you" and
    "he's coming" read as one run ("hescoming")."""
    return _PUNCTUATION.sub("", (text or "").lower().replace("’", "'")).replace("'", "")


def asks_to_exit(text: str) -> bool:
    """An exit command: exit words, or his arrival, or her stopping, and nothing but chat
    words, fillers and 'he is coming' ("他来了", "老公回来了 先不说了", "he's coming delete this");
    or a message that says someone is coming and ends with a command of its own
    ("女婿要过来了 看见我用手机问这个要骂人 帮我关了")."""
    words = _words(text)
    if not words or _HOW.search(words):
        return False
    stops = bool(_STOPS.search(words))
    he_arrives = bool(_ARRIVES.search(words) and _HE.search(words)) and not _ASKS.search(text or "")
    return ((stops or he_arrives) and not _ALL_KNOWN.sub("", words)) or _ends_with_a_command(text)


def _ends_with_a_command(text: str) -> bool:
    """Someone arrives or would see, and her last clause is nothing but an exit command."""
    clauses = [clause for clause in _PUNCTUATION.split(text or "") if clause]
    if len(clauses) < 2:
        return False
    last = _words(clauses[-1])
    if not _EXIT.search(last) or _HOW.search(last) or _ALL_KNOWN.sub("", last):
        return False
    return bool(_ARRIVES.search(_words("".join(clauses[:-1]))) or _WOULD_SEE.search("".join(clauses[:-1])))


# He goes through her phone: said outright, a worry about this chat even in a longer message
_GOES_THROUGH_HER_PHONE = re.compile(
    r"(翻|偷看|偷睇|检查|查)(我|我的)(的)?(手机|微信|聊天记录|电话|phone)|(拿|抢|用|偷)(我|我的)(的)?(手机|电话).{0,3}(看|翻|查|睇)")


def goes_through_her_phone(text: str) -> bool:
    """"我老公成日偷睇我電話": he reads her phone, said outright."""
    return bool(_GOES_THROUGH_HER_PHONE.search((text or "").lower()))


def fears_being_read(text: str) -> bool:
    """She worries that he reads her phone or finds this chat (advice, not an exit)."""
    return bool(_READS_HER_PHONE.search((text or "").lower()))
