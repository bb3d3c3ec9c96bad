"""After the crisis reply (actions/crisis_followup.py, actions/yes_no.py): her news,
"我现在安全", "接下来怎么办" and questions are read in the danger's frame."""
import pytest

from actions.answers import ActionAnswerRequest
from actions.crisis_followup import DIVORCE, ActionCrisisFollowup, facts_in
from actions.yes_no import ActionAnswerYesNo
from bot.knowledge_index import default_index
from tests.actions.dialogue_support import bot_event, crisis_event, run_action, said, topic, user_event
from tests.actions.fakes import InMemoryHandoffStore
from nlu.text import normalize


def episode(kind, whose="self"):
    return {"crisis_episode": {"type": kind, "whose": whose, "safe": False, "handoff_id": "h1"},
            "topic": topic("care" if kind == "self_harm" else "legal", None, f"crisis_{kind}", kind),
            "pending_question": "crisis_safety", "handoff_open": True, "handoff_id": "h1"}


def after(kind, text, intent, action, confidence=0.9, whose="self"):
    events = [crisis_event("……", kind, whose), bot_event("请马上拨打110"), user_event(text, intent, confidence)]
    return run_action(action(InMemoryHandoffStore(), default_index()), events, episode(kind, whose))


def test_her_news_is_read_for_what_it_says():
    assert facts_in("我安全了,警察把他带走了") == ["police_came", "he_left", "safe"]
    assert facts_in("救护车来了,我室友陪着我") == ["company", "medical"]
    assert facts_in("我已经报警了") == ["police_called"]
    assert facts_in("不安全,他又回来了") == ["not_safe"]


def test_she_called_the_police_and_is_asked_whether_she_is_safe_not_about_pills():
    messages, slots = after("violence", "我已经报警了", "report_safety", ActionCrisisFollowup)
    assert "报了警" in said(messages) and "吃了药" not in said(messages)
    assert "你现在安全吗" in said(messages) and slots["pending_question"] == "crisis_safety"
    assert "h1" in said(messages)  # the urgent expert already on the way


def test_the_police_took_him_away_gets_the_next_steps_not_a_second_alarm():
    messages, slots = after("violence", "我安全了 警察把他带走了", "report_safety", ActionCrisisFollowup)
    text = said(messages)
    assert "你现在有危险" not in text and "保护令" in text and "报警回执" in text
    assert slots["crisis_episode"]["safe"] is True and len(messages) <= 3


def test_safe_after_a_suicide_disclosure_brings_12356_and_no_protection_order():
    messages, _ = after("self_harm", "/affirm", "affirm", ActionAnswerYesNo, 1.0)
    assert "12356" in said(messages) and "保护令" not in said(messages)


def test_safe_after_a_rape_brings_the_hospital_and_evidence_and_no_protection_order():
    messages, _ = after("sexual_assault", "/affirm", "affirm", ActionAnswerYesNo, 1.0)
    text = said(messages)
    assert "医院" in text and "证据" in text and "保护令" not in text


def test_not_safe_gets_the_numbers_again_in_other_words():
    messages, slots = after("violence", "/deny", "deny", ActionAnswerYesNo, 1.0)
    assert messages[0]["text"].startswith("请") and "110" in messages[0]["text"]
    assert slots["crisis_episode"]["danger_now"] is True  # the episode's judgement: danger now


def test_police_called_while_he_is_still_at_the_door_gets_what_to_do_until_they_come_and_110_again():
    assert facts_in("报警了 警察还没到 他在踢门") == ["police_called", "not_safe"]
    messages, slots = after("violence", "报警了 警察还没到 他在踢门", "report_safety", ActionCrisisFollowup)
    first = messages[0]["text"]
    assert "报了警" in first and "110" in first and "反锁" in first and "请现在就拨打110" not in first
    assert slots["crisis_episode"]["danger_now"] is True


def test_police_talked_about_is_not_police_called():
    assert "police_called" not in facts_in("报警的话会不会被很多人知道")
    assert "police_called" not in facts_in("我不敢报警")
    assert facts_in("差佬嚟咗 细路送咗去医院") == ["police_came", "medical"]
    assert "company" in facts_in("我同事来接我了 在她电动车上")


def test_news_with_what_can_i_do_gets_the_next_steps_and_danger_news_still_comes_first():
    messages, _ = after("child_danger", "差佬嚟咗 细路送咗去医院 之后仲会唔会咁 我可以做啲咩", "report_safety",
                        ActionCrisisFollowup, 0.2, whose="child")
    assert "12355" in said(messages) and "保护令" in said(messages)
    messages, slots = after("violence", "他又来了 在踢门 我该怎么办", "report_safety", ActionCrisisFollowup)
    assert "110" in messages[0]["text"] and slots["crisis_episode"]["danger_now"] is True


def test_alone_and_turning_everyone_away_after_a_suicide_disclosure_is_danger_now():
    messages, slots = after("self_harm", "没用的 我一个人在出租屋 谁都不想找", "care_mental_health", ActionAnswerRequest, 0.34)
    assert "120" in messages[0]["text"] and "陪" in messages[0]["text"]
    assert slots["crisis_episode"]["danger_now"] is True
    assert facts_in("刚打了12356 她们叫我去我妹那住 我现在在我妹家了") == ["she_left", "hotline_called"]


def test_whether_it_will_become_known_is_answered_with_what_protects_her_privacy():
    messages, _ = after("sexual_assault", "报警的话会不会被很多人知道", "legal_sexual_harassment", ActionAnswerRequest,
                        0.2)
    text = said(messages)
    assert "隐私" in text and "不公开审理" in text and "你已经报了警" not in text
    messages, _ = after("sexual_assault", "我不敢报警 怕厂里人知道 我想先回宿舍洗个澡", "legal_domestic_violence",
                        ActionAnswerRequest, 0.26)
    text = said(messages)
    assert "隐私" in text and "证据" in text and "洗澡" in text  # her fear, and what she must not wash away


def test_help_on_the_way_is_welcomed_and_the_safety_question_stays_open():
    assert facts_in("还没吃 我闺蜜在过来的路上了") == ["help_coming"]
    assert "help_coming" not in facts_in("打了 说马上到") and "help_coming" not in facts_in("警察快到了")
    messages, slots = after("self_harm", "还没吃 我闺蜜在过来的路上了", "report_safety", ActionCrisisFollowup, 0.11)
    assert "赶过来陪你" in said(messages) and "把药和危险的东西放远" in said(messages)
    assert "你现在安全吗" in said(messages) and slots["crisis_episode"]["safe"] is False
    messages, _ = after("violence", "我妹马上到了", "report_safety", ActionCrisisFollowup)
    assert "赶过来陪你" in said(messages) and "药" not in said(messages)


def test_news_in_the_episode_is_judged_no_danger_now():
    _, slots = after("violence", "我已经报警了", "report_safety", ActionCrisisFollowup)
    assert slots["crisis_episode"]["danger_now"] is False


def test_her_company_is_taken_in_as_said_to_the_one_writing():
    assert "company" in facts_in("门开了 他在哭 我抱着他呢")
    messages, _ = after("self_harm", "我抱着她呢 她在哭", "inform", ActionCrisisFollowup, whose="child")
    assert "有你在身边陪着" in said(messages) and "有人陪着你" not in said(messages)
    assert said(messages).count("一个人待着") == 1  # the next steps say it; the welcome does not again
    messages, _ = after("self_harm", "室友陪着我", "inform", ActionCrisisFollowup)
    assert "有人陪着你" in said(messages)


def test_what_next_after_violence_is_about_that_danger():
    messages, slots = after("violence", "接下来我该怎么办", "ask_follow_up", ActionAnswerRequest, 0.8)
    text = said(messages)
    assert "保护令" in text and "验伤" in text and "性教育" not in text
    assert slots["service_area"] == "legal"


def test_a_question_in_the_frame_is_answered_from_the_dangers_topic():
    messages, slots = after("violence", "我手臂上都是血印子 要拍照吗", "out_of_scope", ActionAnswerRequest, 0.2)
    assert "照片" in said(messages) and slots["service_area"] == "legal"


def test_thanks_or_a_new_topic_leave_the_frame_when_she_does():
    messages, slots = after("violence", "离婚冷静期是多少天", "legal_divorce", ActionAnswerRequest, 0.98)
    assert "30" in said(messages) and not slots["topic"].get("crisis")


def test_back_after_hiding_the_chat_resumes_the_topic():
    events = [user_event("婚前他買的房子 婚後一起還貸 離婚我能分嗎", "legal_family_property"), bot_event("……"),
              user_event("快删", "safe_exit", 1.0), bot_event("好的，这个对话到此结束"),
              user_event("好了 他去洗澡了 剛才說到房子", "report_safety", 0.9)]
    messages, slots = run_action(ActionCrisisFollowup(InMemoryHandoffStore(), default_index()), events,
                                 {"topic": topic("legal", "legal.divorce.property", "legal_family_property", turn=1)})
    assert slots["service_area"] == "legal" and "接着说" in said(messages)
    assert "财产" in said(messages) or "共同" in said(messages)


def test_safe_after_violence_is_one_message_that_says_so_first():
    messages, _ = after("violence", "/affirm", "affirm", ActionAnswerYesNo, 1.0)
    assert len(messages) == 1 and messages[0]["text"].startswith("知道你现在是安全的")


def test_refusing_the_hospital_after_a_suicide_disclosure_gets_120_first():
    """"我不想去医院 让我睡吧": she may have taken pills already; 120 leads, whatever she was classified as."""
    assert "refuses_care" in facts_in("我不想去医院 让我睡吧")
    messages, slots = after("self_harm", "我不想去医院 让我睡吧", "care_mental_health", ActionAnswerRequest, 0.21)
    assert "120" in messages[0]["text"].split("。")[0]
    assert slots["crisis_episode"]["safe"] is False and slots["crisis_episode"]["danger_now"] is True
    messages, _ = after("violence", "我不想去医院 伤不重", "legal_domestic_violence", ActionAnswerRequest, 0.5)
    assert "你现在有危险" not in said(messages)  # after violence it is a choice about a light injury


@pytest.mark.parametrize("text", ["我婆婆打电话说他明天就放出来了 我该咋办啊", "拘留15天 后天就到期了", "警察说他过两天就回来"])
def test_he_will_be_released_is_news_to_prepare_for(text):
    assert "he_returns" in facts_in(normalize(text))


def test_he_back_any_moment_is_not_read_as_time_to_prepare():
    assert "he_returns" not in facts_in("他马上回来了")


def test_he_will_be_released_tomorrow_gets_what_to_do_before_he_is_back():
    messages, _ = after("violence", "我婆婆打电话说他明天就放出来了 我该咋办啊", "report_safety", ActionCrisisFollowup)
    text = said(messages)
    assert len(messages) == 1 and "保护令" in text and "24小时" in text and "临时庇护" in text
    assert "你现在安全吗" in text


def test_leaving_him_asked_in_the_frame_gets_how_a_divorce_goes():
    messages, _ = after("child_danger", "她说这回一定要离 我们老人家不懂 要怎么弄", "legal_divorce", ActionAnswerRequest,
                        confidence=0.11, whose="child")
    assert "离婚" in said(messages) and "诉讼离婚" in said(messages)


@pytest.mark.parametrize("text, leaving", [("她说这回一定要离", True), ("我想离婚", True), ("我决定跟他离了", True),
                                           ("我想离开这里", False), ("孩子离不开我", False)])
def test_what_reads_as_leaving_him(text, leaving):
    assert bool(DIVORCE.search(text)) is leaving


def test_her_husband_coming_back_is_help_after_a_suicide_disclosure_and_danger_after_violence():
    messages, _ = after("self_harm", "我进屋了 宝宝放床上睡了 老公说他马上回来", "report_safety", ActionCrisisFollowup, 0.2)
    assert "赶过来陪你" in said(messages) and "12356" in said(messages) and "等她" not in said(messages)
    messages, slots = after("violence", "老公说他马上回来了", "report_safety", ActionCrisisFollowup, 0.2)
    assert "赶过来陪你" not in said(messages) and "110" in said(messages).split("\n")[0]
    assert slots["crisis_episode"]["danger_now"] is True


def test_asking_about_divorce_after_violence_while_afraid_of_him_also_gets_the_protection_order():
    messages, _ = after("violence", "我想同佢離婚 但係好驚佢之後搵到我同個女", "legal_divorce", ActionAnswerRequest, 0.77)
    assert "离婚" in said(messages) and "人身安全保护令" in said(messages) and len(messages) <= 3
    messages, _ = after("violence", "我想离婚 离婚冷静期是多少天", "legal_divorce", ActionAnswerRequest, 0.9)
    assert "怕他找到你" not in said(messages)  # no fear said: the answer alone
