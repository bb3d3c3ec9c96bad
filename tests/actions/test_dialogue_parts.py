"""The small parts the dialogue is made of: reading a request for a person, the side of a
follow-up, the answer decision, the reply's limits, her own words."""
import pytest

from actions.context import Turn
from actions.follow_up import aspects_of, best_passage, settled_by_what_she_asks
from actions.her_turn import Reply
from actions.knowledge_answer import ANSWER, CHOOSE, NONE, decide, leader
from actions.person_request import person_request, takes_back, without_request
from bot.knowledge_base import KnowledgeBase
from bot.knowledge_index import FaqMatch
from nlu.text import normalize
from tests.actions.dialogue_support import bot_event, domain, user_event
from tests.conftest import make_tracker


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeBase.load()


@pytest.mark.parametrize("text, role, category", [
    ("我要找律师！前夫一年没给抚养费了", "律师", "legal"),
    ("我想咨询律师关于离婚财产的问题，能帮我联系一个吗", "律师", "legal"),
    ("孩子在学校被几个男生欺负 我想找个家庭教育老师一对一聊聊", "家庭教育指导师", "family_education"),
    ("能不能帮我约个创业导师", "创业就业导师", "entrepreneurship"),
    ("我想搵個律師", "律师", "legal"),
    ("转人工", "工作人员", None),
    ("我不会打字 叫个人给我打电话行不", "工作人员", None),
    ("有没有创业导师能指导下 我想在镇上开个奶茶店", "创业就业导师", "entrepreneurship"),
    ("有冇律师可以帮下我", "律师", "legal"),
    ("我要人工 公司怀孕了就不给我交社保", "工作人员", None),
    ("你们有没有律师", "律师", "legal"),
    ("可以给我推荐一个离婚律师吗", "律师", "legal"),
    ("我想找人咨询一下离婚的事", "工作人员", None),
    ("有没有懂劳动法的律师帮我看看合同", "律师", "legal"),
    ("可不可以请心理咨询师陪我聊一下", "心理咨询师", "care"),
    ("其实我就想找个人听我说说", "工作人员", None),
    ("有没有懂教育的老师能跟我说说 我打字太慢了", "家庭教育指导师", "family_education"),
    ("想开个小网店卖手工soap，有没有创业导师可以1 on 1 talk一下？", "创业就业导师", "entrepreneurship"),
    ("個仔喺學校俾人蝦 我自己都好唔開心 想搵個心理輔導同我傾下", "心理咨询师", "care"),
    ("我想創業開個工作室，但家裡老人需要照顧，想請創業導師幫我規劃一下", "创业就业导师", "entrepreneurship"),
    ("孩子初二 不肯上学 天天关在房里 我想跟家庭教育专家聊聊", "家庭教育指导师", "family_education"),
    ("我想搵個心理咨詢師 最近成晚瞓唔著", "心理咨询师", "care"),
    ("hi 想找个mentor聊聊 我在深圳想开网店卖童装", "创业就业导师", "entrepreneurship"),
    ("can I talk to a real person", "工作人员", None),
    ("我想找个lawyer 他不给抚养费", "律师", "legal"),
    ("I need a counselor 最近睡不着", "心理咨询师", "care"),
])
def test_a_request_for_a_person_is_read_with_the_role_she_names(text, role, category):
    request = person_request(normalize(text))
    assert request is not None and (request.role, request.category) == (role, category)


@pytest.mark.parametrize("text", ["律师说被家暴的离婚不用等冷静期 是真的吗", "我想咨询一下", "我想找个工做 能接送孩子的那种",
                                  "你是真人吗", "不用找律师了", "心理医生说我有点抑郁 让我多出去活动",
                                  "有没有老师可以辅导作业", "我要人工流产 去哪里做", "我暂时不想找人咨询，就想看看别人的经历",
                                  "有律师说过这样可以吗", "让老师跟我说说孩子在学校的情况", "那网贷怎么办 催收天天打电话给我妈",
                                  "有没有好的老师可以辅导作业", "有没有老师能教孩子弹琴", "昨天跟班主任老师聊了一下",
                                  "my lawyer said 要等冷静期", "孩子的coach说他打球很有天赋"])
def test_talking_about_a_person_or_taking_the_request_back_is_no_request(text):
    assert person_request(normalize(text)) is None


def test_what_is_left_of_a_request_says_the_topic():
    assert "抚养费" in without_request(normalize("我要找律师！前夫一年没给抚养费了"))
    assert without_request(normalize("我要找律师")) == ""
    assert without_request(normalize("你们有没有律师")) == ""
    assert "出轨" in without_request(normalize("可以给我推荐一个离婚律师吗 他出轨还转移财产"))
    assert takes_back(normalize("算了 不用了")) and not takes_back(normalize("好的"))


@pytest.mark.parametrize("text", ["不用了 她爸说他来跟女儿谈 刚才那个帮我取消吧", "帮我撤了吧", "取消我的求助",
                                  "我想撤回申请", "唔使喇 幫我取消咗佢", "算了 俺跟村里再说说 那个帮俺取消了吧", "没事了 不用了 取消吧",
                                  "Actually never mind，取消吧，I'll handle it myself",
                                  "thanks 我跟我妈聊完好多了 先cancel吧 有需要再找你们"])
def test_withdrawing_a_request_is_taking_it_back(text):
    assert takes_back(normalize(text))


@pytest.mark.parametrize("text", ["怎么撤销他的监护资格", "取消婚约彩礼要退吗", "单位取消了我的产假",
                                  "婚约取消吧，彩礼还要退吗"])
def test_cancelling_something_else_is_a_question(text):
    assert not takes_back(normalize(text))


@pytest.mark.parametrize("text, side", [("要钱吗", "cost"), ("去哪里告", "where"), ("要多久", "duration"),
                                        ("要带什么材料", "documents"), ("他不同意怎么办", "refuses"),
                                        ("我儿子今年九岁", "age"), ("要先交2000手续费", "pay"),
                                        ("批了他不听咋办", "refuses"), ("他违反了保护令", "refuses"), ("批了他还来骚扰呢", "refuses"),
                                        ("要不要带他去看医生", "doctor"), ("这孩子三天两头挨打 以后谁能管管", "where"),
                                        ("need collateral吗", "conditions"), ("他说他没工作没钱给", "refuses"), ("之后仲会唔会咁 我可以做啲咩", "next"), ("如果佢唔理个保护令照打我点算", "refuses"), ("how much does it cost", "cost")])
def test_the_side_of_the_topic_a_follow_up_asks_about(text, side):
    assert side in aspects_of(normalize(text))


def test_a_follow_up_gets_the_sentences_that_answer_that_side(knowledge):
    custody = knowledge.faq_by_id("legal.divorce.custody")
    passage = best_passage(custody, normalize("我兒子今年九歲，他想跟我"), ["age"])
    assert any("八周岁" in sentence for sentence in passage.sentences)
    order = knowledge.faq_by_id("legal.dv.protection_order")
    assert any("72小时" in s for s in best_passage(order, "要多久能批", ["duration"]).sentences)
    disobeys = best_passage(order, "批了他不听咋办", aspects_of("批了他不听咋办")).sentences
    assert any("拘留" in s for s in disobeys)
    phone = knowledge.faq_by_id("family_education.phone_addiction")
    assert any("心理" in s for s in best_passage(phone, "要不要带他去看医生", aspects_of("要不要带他去看医生")).sentences)
    screening = knowledge.faq_by_id("care.cancer_screening")
    assert any("身份证" in s for s in best_passage(screening, "要带啥", aspects_of("要带啥")).sentences)


def test_the_answer_decision(knowledge):
    entry = knowledge.faq_by_id
    assert decide([FaqMatch(entry("legal.fraud"), 0.45)], None).kind == ANSWER
    clear = [FaqMatch(entry("legal.employment.pregnancy_dismissal"), 0.21), FaqMatch(entry("legal.fraud"), 0.05)]
    assert decide(clear, "legal").kind == ANSWER and decide(clear, None).kind == NONE
    close = [FaqMatch(entry("legal.divorce.custody"), 0.25), FaqMatch(entry("legal.divorce.property"), 0.22)]
    assert decide(close, "legal").kind == CHOOSE
    alone = [FaqMatch(entry("legal.divorce.custody"), 0.18), FaqMatch(entry("legal.fraud"), 0.12)]
    assert decide(alone, "legal").kind == NONE  # one weak candidate is never a choice


def test_the_leader_is_a_real_match_clearly_ahead_of_the_next(knowledge):
    entry = knowledge.faq_by_id
    ahead = [FaqMatch(entry("legal.divorce.child_support"), 0.17), FaqMatch(entry("care.single_mother"), 0.06)]
    assert leader(ahead) is entry("legal.divorce.child_support")
    assert leader([FaqMatch(entry("legal.divorce.child_support"), 0.17), FaqMatch(entry("legal.fraud"), 0.12)]) is None
    assert leader([FaqMatch(entry("legal.divorce.child_support"), 0.1)]) is None and leader([]) is None


def turn_of(events, slots=None):
    return Turn(make_tracker(events, slots=slots), domain())


def test_a_reply_is_at_most_three_messages_and_never_repeats_a_long_one():
    long_text = "这是一段已经发过的很长的回答，" * 4
    reply = Reply(turn_of([user_event("你好", "greet"), bot_event(long_text), user_event("你好", "greet")]))
    assert reply.say(long_text) is False and reply.say(long_text, must=True) is True
    for n in range(4):
        reply.say(f"第{n}条")

    class Collect:
        messages = []

        def utter_message(self, text=None, buttons=None):
            self.messages.append(text)

    sink = Collect()
    reply.send(sink)
    assert len(sink.messages) == 3 and "第3条" in sink.messages[-1]


def test_her_words_are_the_event_text_not_the_normalised_copy():
    event = user_event("房子係婚後買嘅😢", "legal_family_property")
    event["parse_data"]["text"] = "房子系婚后买嘅"
    turn = turn_of([event])
    assert turn.words == "房子係婚後買嘅😢" and turn.text == "房子系婚后买嘅"


def test_what_she_asks_settles_a_choice_between_close_entries_only_when_one_clearly_answers_it(knowledge):
    process, property_ = knowledge.faq_by_id("legal.divorce.process"), knowledge.faq_by_id("legal.divorce.property")
    assert settled_by_what_she_asks(normalize("离婚要分居多久法院才判"), [property_, process]) is process
    assert settled_by_what_she_asks(normalize("离婚的事想问问"), [property_, process]) is None  # no side asked
