"""Answering a question in its conversation (actions/answers.py): new questions, clear
winners, choices, topic buttons, follow-ups, plain words, help, two needs."""
import asyncio

import pytest

from actions.answers import ActionAnswerFaq, ActionAnswerRequest, ActionRecordFeedback
from bot.knowledge_index import ANSWER_THRESHOLD, SUGGEST_THRESHOLD, FaqMatch, KnowledgeIndex
from tests.actions.dialogue_support import bot_event, crisis_event, run_action, said, topic, user_event
from actions.handoff_types import HandoffRequest
from tests.actions.fakes import InMemoryHandoffStore
from tests.knowledge_fixture import write_knowledge


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return KnowledgeIndex(write_knowledge(tmp_path_factory.mktemp("knowledge")))


@pytest.fixture(scope="module")
def real_index():
    return KnowledgeIndex()


class FixedScores:
    """An index whose scores the test sets, to check each band of the reply."""

    def __init__(self, real, scores):
        self.knowledge, self._scores = real.knowledge, scores

    def search_faq(self, text, category=None, limit=3):
        return [FaqMatch(self.knowledge.faq_by_id(i), s) for i, s in self._scores][:limit]


def answer(index, events, slots=None, store=None):
    return run_action(ActionAnswerRequest(store or InMemoryHandoffStore(), index), events, slots)


def test_a_confident_match_is_three_messages_answer_basis_and_feedback(index):
    assert index.search_faq("保护令去哪里申请", "legal")[0].score >= ANSWER_THRESHOLD
    messages, slots = answer(index, [user_event("保护令去哪里申请", "legal_domestic_violence")])
    assert len(messages) == 3
    assert "基层人民法院" in messages[0]["text"] and "\n\n" not in "".join(m["text"] for m in messages)
    assert messages[1]["text"].startswith("依据：") and "12338" in messages[1]["text"]
    assert [b["title"] for b in messages[2]["buttons"]] == ["有帮助", "没帮助"]
    assert slots["last_faq_id"] == "legal.dv.protection_order" and slots["service_area"] == "legal"
    assert slots["topic"]["faq_id"] == "legal.dv.protection_order" and slots["pending_question"] == "answer_feedback"


def test_a_clear_winner_below_the_threshold_is_answered_not_hedged(index):
    clear = FixedScores(index, [("legal.divorce.child_support", 0.22), ("legal.dv.protection_order", 0.05)])
    messages, _ = answer(clear, [user_event("前夫不给抚养费", "legal_family_property")])
    assert "百分之二十至三十" in messages[0]["text"]
    assert "我想确认一下" not in said(messages) and "没有把握" not in said(messages)


def test_two_close_questions_are_offered_as_a_choice_and_one_is_never(index):
    middle = (SUGGEST_THRESHOLD + ANSWER_THRESHOLD) / 2
    two = FixedScores(index, [("family_education.phone_addiction", middle),
                              ("legal.divorce.child_support", middle - 0.02),
                              ("legal.dv.protection_order", SUGGEST_THRESHOLD - 0.01)])
    messages, _ = answer(two, [user_event("孩子的事情想问问", "family_screen_study")])
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ['/choose_faq{"faq_id":"family_education.phone_addiction"}',
                        '/choose_faq{"faq_id":"legal.divorce.child_support"}', "/request_human"]
    one = FixedScores(index, [("legal.dv.protection_order", SUGGEST_THRESHOLD + 0.01)])
    messages, _ = answer(one, [user_event("单位不给交社保怎么办", "legal_employment")])
    assert not any(b["payload"].startswith("/choose_faq") for m in messages for b in m.get("buttons") or [])
    assert "单位不得因此降薪" in messages[0]["text"]  # the topic's overview, not a hedge


def test_every_topic_button_leads_to_an_answer_and_its_questions(real_index):
    messages, slots = answer(real_index, [user_event("/legal_domestic_violence", "legal_domestic_violence")])
    assert "家暴" in messages[0]["text"] and "没有把握" not in said(messages)
    assert any(b["payload"].startswith("/choose_faq") for b in messages[1]["buttons"])
    assert slots["service_area"] == "legal"


def test_a_short_follow_up_is_read_in_the_topic_and_answers_that_side(real_index):
    events = [user_event("離婚之後孩子撫養權是怎麼判的", "legal_divorce"), bot_event("孩子的抚养……"),
              user_event("我兒子今年九歲，他想跟我", "ask_follow_up", 0.3)]
    messages, slots = answer(real_index, events,
                             {"topic": topic("legal", "legal.divorce.custody", "legal_divorce")})
    assert "八周岁" in messages[0]["text"] and "创业创新" not in said(messages)
    assert slots["service_area"] == "legal" and slots["topic"]["faq_id"] == "legal.divorce.custody"


def test_a_follow_up_on_cost_keeps_the_topic_and_brings_no_other_area(real_index):
    events = [user_event("想找个心理咨询师聊聊", "care_mental_health"), bot_event("……"),
              user_event("要钱吗", "ask_follow_up", 0.7)]
    messages, slots = answer(real_index, events, {"topic": topic("care", "care.psychological_support")})
    assert slots["service_area"] == "care" and "保护令" not in said(messages)
    assert "12356" in said(messages)


def test_asked_whether_chasing_child_support_costs_money_she_hears_about_legal_aid_and_court_fees(real_index):
    events = [user_event("前夫不给抚养费怎么办", "legal_divorce"), bot_event("不直接抚养孩子的一方……"),
              user_event("要钱吗", "ask_follow_up", 0.7)]
    messages, slots = answer(real_index, events,
                             {"topic": topic("legal", "legal.divorce.child_support", "legal_divorce")})
    assert "法律援助" in messages[0]["text"] and "免交诉讼费用" in messages[0]["text"]
    assert not messages[0]["text"].startswith("我明白了")
    assert slots["topic"]["faq_id"] == "legal.divorce.child_support"


def test_a_follow_up_that_another_entry_answers_with_confidence_gets_that_answer(real_index):
    events = [user_event("离婚后孩子抚养权归谁", "legal_divorce"), bot_event("孩子的抚养……"),
              user_event("他不让我看孩子怎么办", "ask_follow_up", 0.2)]
    messages, slots = answer(real_index, events, {"topic": topic("legal", "legal.divorce.custody", "legal_divorce")})
    assert "探望" in messages[0]["text"] and slots["topic"]["faq_id"] == "legal.divorce.visitation"


def test_a_follow_up_the_classifier_and_the_faq_both_read_as_another_entry_gets_that_answer(real_index):
    events = [user_event("我朋友想离婚 能要到孩子吗", "legal_divorce"), bot_event("离婚可以……"),
              user_event("ok 那她可以找免费的律师吗", "legal_aid", 0.46)]
    messages, slots = answer(real_index, events, {"topic": topic("legal", "legal.divorce.process", "legal_divorce")})
    assert "法律援助" in said(messages) and slots["topic"]["faq_id"] == "legal.legal_aid"
    # an unsure classifier leaves the follow-up in the topic in play
    events[-1] = user_event("ok 那她可以找免费的律师吗", "legal_aid", 0.2)
    _, slots = answer(real_index, events, {"topic": topic("legal", "legal.divorce.process", "legal_divorce")})
    assert slots["topic"]["faq_id"] != "legal.legal_aid"


def test_a_new_fact_gets_a_new_answer_never_the_same_long_text(real_index):
    entry = real_index.knowledge.faq_by_id("legal.fraud")
    events = [user_event("网上有人说能帮我贷款 今天到账", "legal_fraud"), bot_event(entry.answer_text()),
              user_event("要先交2000手续费", "ask_follow_up", 0.2)]
    messages, _ = answer(real_index, events, {"topic": topic("legal", "legal.fraud", "legal_fraud")})
    assert entry.answer_text() not in [m["text"] for m in messages]
    assert "不要" in said(messages)


def test_she_asks_for_simpler_words_and_gets_the_plain_version(real_index):
    messages, slots = answer(real_index, [user_event("我字认得不多 你说的看不太懂", "ask_simpler")],
                             {"topic": topic("legal", "legal.divorce.process")})
    plain = real_index.knowledge.faq_by_id("legal.divorce.process").plain
    assert plain in messages[0]["text"] and len(plain) < 80
    assert slots["service_area"] == "legal"


def test_help_me_is_met_with_warmth_and_the_way_in(real_index):
    messages, _ = answer(real_index, [user_event("帮帮我", "ask_for_help", 0.95)])
    assert "帮不上忙" not in said(messages) and "110" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]][:4] == ["创业创新", "法律维权", "家庭教育", "关爱服务"]


def test_a_request_for_a_person_and_a_topic_opens_a_routed_handoff_and_answers(real_index):
    store = InMemoryHandoffStore()
    messages, slots = answer(real_index, [user_event("我要找律师！前夫一年没给抚养费了", "legal_family_property", 0.55)],
                             store=store)
    assert store.requests[0].category == "legal" and slots["handoff_open"] is True
    assert "律师" in messages[0]["text"] and len(messages) <= 3
    assert any("抚养费" in m["text"] for m in messages[1:])


def test_a_request_for_a_person_without_a_topic_asks_what_about_first(real_index):
    store = InMemoryHandoffStore()
    messages, slots = answer(real_index, [user_event("想找个心理医生", "care_mental_health", 0.4)], store=store)
    assert store.requests == [] and slots["person_request"]["category"] == "care"
    assert "马上转接" in said(messages)


def test_the_person_she_asked_for_routes_her_unsure_answer_about_what(real_index):
    store = InMemoryHandoffStore()
    messages, _ = answer(real_index, [user_event("想找个心理医生", "care_mental_health", 0.4), bot_event("……"),
                                      user_event("不对 是我女儿 她12岁 总说自己胖 不肯吃饭", "family_communication", 0.2)],
                         {"person_request": {"role": "心理咨询师", "category": "care"}}, store=store)
    assert store.requests[0].category == "care" and "心理咨询师" in messages[0]["text"]


def test_a_sure_answer_about_what_is_her_topic(real_index):
    store = InMemoryHandoffStore()
    answer(real_index, [user_event("转人工", "request_human", 0.9), bot_event("……"),
                        user_event("前夫一年没给抚养费了", "legal_family_property", 0.95)],
           {"person_request": {"role": "心理咨询师", "category": "care"}}, store=store)
    assert store.requests[0].category == "legal"


def test_while_a_handoff_is_open_a_question_is_answered_and_passed_on_verbatim(real_index):
    store = InMemoryHandoffStore()
    words = "对了 产假是多少天来着😊"
    event = user_event(words, "legal_employment", 0.8)
    event["parse_data"]["text"] = "对了,产假是多少天来着"  # the normaliser's copy, as Rasa keeps it
    messages, _ = answer(real_index, [event], {"handoff_open": True, "handoff_id": "h1"}, store)
    assert store.forwarded == [("woman-1", "h1", words)]
    assert "98" in said(messages) and "已经转给负责你求助的工作人员" in messages[-1]["text"]


@pytest.mark.parametrize("words", ["how long要等?", "要等多久", "律师什么时候联系我"])
def test_while_she_waits_asking_how_long_gets_her_requests_status(real_index, words):
    store = InMemoryHandoffStore()
    record = asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "care", "care_mental_health", False,
                                                           "产后情绪差")))
    messages, _ = answer(real_index, [user_event(words, "ask_follow_up", 0.6)],
                         {"handoff_open": True, "handoff_id": record.id}, store)
    assert record.id in said(messages) and "48小时" in said(messages)


def test_out_of_scope_is_declined_unless_the_faq_is_sure(index):
    weak = FixedScores(index, [("legal.dv.protection_order", ANSWER_THRESHOLD - 0.05)])
    messages, _ = answer(weak, [user_event("今天天气怎么样", "out_of_scope", 0.9)])
    assert "帮不上忙" in messages[0]["text"]
    sure = FixedScores(index, [("legal.dv.protection_order", ANSWER_THRESHOLD)])
    messages, _ = answer(sure, [user_event("保护令", "out_of_scope", 0.9)])
    assert "基层人民法院" in messages[0]["text"]


def test_a_chosen_question_is_answered(index):
    messages, _ = run_action(ActionAnswerFaq(InMemoryHandoffStore(), index), [user_event("/choose_faq", "choose_faq")],
                             {"faq_id": "legal.divorce.child_support"})
    assert "百分之二十至三十" in messages[0]["text"]


@pytest.mark.parametrize("helpful, expected", [("yes", "utter_feedback_thanks"), ("no", "utter_feedback_sorry")])
def test_feedback_is_kept_with_the_conversation(helpful, expected):
    messages, slots = run_action(ActionRecordFeedback(), [user_event("/feedback", "feedback")],
                                 {"helpful": helpful, "last_faq_id": "legal.dv.protection_order"})
    assert messages[0]["response"] == expected
    assert slots["pending_question"] == (None if helpful == "yes" else "expert_offer")
    assert slots["last_feedback"] == {"faq_id": "legal.dv.protection_order", "helpful": helpful == "yes"}


def test_two_questions_in_two_areas_get_two_answers(real_index):
    text = "我离婚了想自己开个小店，有没有创业贷款？还有前夫一直不给抚养费怎么办"
    messages, _ = answer(real_index, [user_event(text, "legal_family_property", 0.59)])
    assert "创业担保贷款" in said(messages) and "抚养费" in said(messages) and len(messages) <= 3


def test_after_a_topic_overview_a_short_follow_up_is_answered_from_any_of_its_questions(real_index):
    """"要多久" after the divorce overview: the cooling-off period, not the custody text."""
    events = [user_event("我跟我老公都同意离了 去民政局要咋办", "legal_divorce", 0.38), user_event("要多久", "ask_follow_up", 0.2)]
    first = real_index.search_faq("离婚后孩子的抚养权归谁", "legal")[0].entry
    messages, _slots = answer(real_index, events, {"topic": topic("legal", first.id, "legal_divorce")})
    assert "30" in said(messages) or "冷静期" in said(messages)


def ranked_event(text, *ranking):
    """Her message as the classifier ranked it: (intent, confidence) pairs, the first on top."""
    event = user_event(text, ranking[0][0], ranking[0][1])
    event["parse_data"]["intent_ranking"] = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return event


def test_two_needs_in_two_areas_of_a_run_on_message_get_two_answers(real_index):
    text = "离婚后前夫一直不给抚养费 我还想找份工作 有没有那种妈妈岗"
    messages, _slots = answer(real_index, [ranked_event(text, ("job_seeking", 0.52), ("legal_family_property", 0.42))])
    assert "抚养费" in said(messages) and "妈妈岗" in said(messages)
    assert len(messages) <= 3


def test_after_two_needs_a_follow_up_about_the_first_is_read_in_the_first(real_index):
    """"工资那个要去哪里投诉" after wage arrears and start-up subsidies were answered together."""
    wages = real_index.knowledge.faq_by_id("legal.employment.wage_arrears")
    subsidies = real_index.knowledge.faq_by_id("entrepreneurship.preferential_policy")
    in_play = {**topic("entrepreneurship", subsidies.id, "legal_employment"), "also": wages.id}
    messages, slots = answer(real_index, [user_event("工资那个要去哪里投诉", "legal_employment", 0.22)], {"topic": in_play})
    assert "12333" in said(messages) or "仲裁" in said(messages)
    assert slots["service_area"] == "legal"


def test_a_second_message_on_a_topic_whose_summary_she_read_gets_its_nearest_answer(real_index):
    first = [user_event("我妈82了 老年痴呆 我一个人又要上班又要照顾她 快撑不住了", "care_children_elderly", 0.7)]
    messages, slots = answer(real_index, first)
    events = first + [{"event": "bot", "text": m.get("text"), "data": {"buttons": m.get("buttons")}} for m in messages]
    messages, _ = answer(real_index, events + [user_event("有没有那种白天可以送过去照顾的地方", "care_children_elderly", 0.68)],
                         {"topic": slots["topic"]})
    assert "日间照料" in said(messages) or "养老" in said(messages)
    assert not said(messages).startswith("想细看的话")


def back_after_safe_exit(index, asked, intent, exit_words, back, slots):
    """She asked, left by safe exit, and writes `back` (nothing the classifier is sure of)."""
    events = [user_event(asked, intent, 1.0), bot_event("……"), user_event(exit_words, "safe_exit", 1.0),
              bot_event("好的，这个对话到此结束……"), user_event(back, "nlu_fallback", 0.1)]
    return answer(index, events, {"left_at_turn": 2, **slots})


def test_back_after_a_safe_exit_with_no_question_she_is_welcomed_and_told_where_we_were(real_index):
    dv = topic("legal", "legal.dv.what_to_do", "legal_domestic_violence")
    messages, slots = back_after_safe_exit(real_index, "my husband hits me sometimes 可以离婚吗", "legal_domestic_violence",
                                           "he's coming back, delete this now", "ok he left", {"topic": dv})
    question = real_index.knowledge.faq_by_id("legal.dv.what_to_do").question.rstrip("？")
    assert said(messages).startswith("你回来了") and question in said(messages) and "110" in said(messages)
    assert len(said(messages)) < 80 and "service_area" not in slots


def test_back_after_a_safe_exit_she_carries_on_in_the_topic(real_index):
    order = topic("legal", "legal.dv.protection_order", "legal_domestic_violence")
    messages, slots = back_after_safe_exit(real_index, "怎么申请人身安全保护令", "legal_domestic_violence", "快删 他回来了",
                                           "我又回来了 刚才说到保护令 要多久能批", {"topic": order})
    assert "72" in said(messages) and "你回来了" not in said(messages) and slots["service_area"] == "legal"


def test_back_after_a_safe_exit_in_a_crisis_she_is_asked_whether_she_is_safe(real_index):
    messages, slots = back_after_safe_exit(real_index, "他拿刀在门外", "crisis_violence", "他来了 快删", "走了",
                                           {"crisis_episode": {"type": "violence"}})
    assert "你现在安全吗" in said(messages) and slots["pending_question"] == "crisis_safety"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]


def test_back_after_a_safe_exit_with_a_clear_question_she_gets_the_answer(real_index):
    events = [user_event("安全退出", "safe_exit", 1.0), bot_event("好的……"),
              user_event("保护令去哪里申请", "legal_domestic_violence", 0.9)]
    messages, _ = answer(real_index, events, {"left_at_turn": 1})
    assert "你回来了" not in said(messages) and "法院" in said(messages)


def test_a_follow_up_that_turns_to_another_area_leaves_the_topic(real_index):
    events = [user_event("孩子天天玩手机怎么办", "family_screen_study"), bot_event("孩子沉迷手机……"),
              user_event("那抚养权这块，我收入比他低会吃亏吗", "legal_divorce", 0.46)]
    _messages, slots = answer(real_index, events,
                              {"topic": topic("family_education", "family_education.phone_addiction")})
    assert slots["service_area"] == "legal"


def test_a_new_fact_the_classifier_is_unsure_of_keeps_the_topic(real_index):
    events = [user_event("离婚的话家务补偿怎么算", "legal_family_property"), bot_event("……"),
              user_event("我是全職太太 十年了", "job_seeking", 0.23)]
    _messages, slots = answer(real_index, events,
                              {"topic": topic("legal", "legal.divorce.housework_compensation", "legal_family_property")})
    assert slots["service_area"] == "legal"


def test_a_figure_of_speech_beside_a_question_gets_the_question_answered_not_counselling(real_index):
    """「天天带娃累死了」 inside a question about training: the training, not 12356 in front of it."""
    text = "笑死 我老公说要去考厨师证 我也想学门手艺 天天带娃累死了 有没有免费的培训 以后想自己摆个摊"
    event = ranked_event(text, ("care_mental_health", 0.50), ("startup_training", 0.30))
    messages, slots = answer(real_index, [event])
    assert "培训" in said(messages) and "12356" not in said(messages) and "110" not in said(messages)
    assert messages[0]["text"].startswith("辛苦了！") and slots["service_area"] == "entrepreneurship"
    assert "产后抑郁" not in said(messages)  # no course recommended for the counselling it did not give


def test_a_word_of_feeling_besides_the_figure_still_gets_both_answers(real_index):
    text = "天天带娃累死了 每天都想哭 有没有免费的技能培训 想以后自己摆个摊"
    event = ranked_event(text, ("care_mental_health", 0.50), ("startup_training", 0.30))
    messages, _slots = answer(real_index, [event])
    assert "12356" in said(messages) and "培训" in said(messages)


def test_a_run_on_question_whose_clause_is_clear_gets_its_answer_not_the_overview(real_index):
    """The whole message scores every entry low; 「他一分抚养费都不给」 alone asks for child support."""
    text = "离昏两年了 孩子跟我 他一分抚养费都不给 能告他吗"
    messages, slots = answer(real_index, [user_event(text, "legal_family_property", 0.8)])
    assert "抚养费" in said(messages) and "想细看的话" not in said(messages)
    assert slots["last_faq_id"] == "legal.divorce.child_support"


def slot_event(name, value):
    return {"event": "slot", "name": name, "value": value, "timestamp": 1_700_000_000.5}


def test_a_follow_up_about_an_answer_she_read_two_turns_ago_finds_it(real_index):
    """「判了他还是不给呢」 after child support, then legal aid: enforcement, from the earlier answer."""
    support = real_index.knowledge.faq_by_id("legal.divorce.child_support")
    aid = next(e for e in real_index.knowledge.faq if e.category == "legal" and "法律援助" in e.question)
    events = [user_event("他一分抚养费都不给", "legal_family_property"), slot_event("last_faq_id", support.id),
              user_event("我请不起律师", "legal_aid"), slot_event("last_faq_id", aid.id),
              user_event("判了他还是不给呢", "ask_follow_up", 0.3)]
    messages, _ = answer(real_index, events, {"topic": topic("legal", aid.id, "legal_aid"), "last_faq_id": aid.id})
    assert "强制执行" in said(messages)


def test_a_clear_question_after_an_area_menu_is_answered_not_asked_for_more(real_index):
    """After the legal menu there is no answer to stay with: 「去法院告他要花钱吗」 is a question of its own."""
    messages, _ = answer(real_index, [user_event("去法院告他要花钱吗 我们家没什么钱", "legal_aid", 0.18)],
                         {"topic": topic("legal", None, None)})
    assert "你再多说几句" not in said(messages)
    assert any(word in said(messages) for word in ("法律援助", "12348", "免交", "缓交"))


def test_a_question_in_a_topic_with_no_answer_yet_is_read_in_its_area(real_index):
    """After a care request was opened and cancelled: 「那有啥办法能让我睡着啊」 is about care."""
    from actions.small_talk import ActionSmallTalk
    messages, slots = run_action(ActionSmallTalk(InMemoryHandoffStore(), real_index),
                                 [user_event("那有啥办法能让我睡着啊 数羊没用", "ask_capabilities", 0.17)],
                                 {"topic": topic("care", None, None)})
    assert slots.get("service_area") == "care" and "创业创新" not in said(messages)


def test_a_message_read_as_out_of_scope_that_names_a_topic_outright_gets_that_topic(real_index):
    event = user_event("昨晚追剧 那个女主被老公家暴 看得我气死了 现实中遇到这种到底该怎么办啊", "out_of_scope", 0.64)
    event["parse_data"]["intent_ranking"] = [{"name": "out_of_scope", "confidence": 0.64},
                                             {"name": "legal_domestic_violence", "confidence": 0.08}]
    messages, slots = answer(real_index, [event])
    assert "帮不上忙" not in said(messages) and "110" in said(messages)
    assert slots["service_area"] == "legal"


def test_a_question_the_faq_answers_with_confidence_in_another_area_leaves_the_topic_even_in_an_episode(real_index):
    events = [crisis_event("不想活了", "self_harm", "self"), bot_event("请马上拨打120……"),
              user_event("那网贷怎么办 催收天天打电话给我妈", "legal_family_property", 0.17)]
    slots = {"crisis_episode": {"type": "self_harm", "whose": "self", "safe": True, "handoff_id": "h1"},
             "topic": topic("care", None, "crisis_self_harm", "self_harm"), "handoff_open": True, "handoff_id": "h1"}
    messages, answered = answer(real_index, events, slots)
    assert "催收" in said(messages) and "110" in said(messages) and answered["topic"]["faq_id"] == "legal.debt_collection"
