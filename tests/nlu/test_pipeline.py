"""The trained pipeline, end to end, on the inputs that break naive bots."""
import pytest

from tests.nlu.long_messages import CALM, story


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "😭😭😭", "👍🏻🙏", "\u200b\u200b"])
def test_nothing_to_read_goes_to_the_clarification(model_parser, text):
    parse = model_parser.parse(text)
    assert parse["intent"]["name"] == "nlu_fallback"
    assert parse["crisis"]["detected"] is False


def test_a_20000_character_message_is_classified(model_parser):
    text = "我老公经常打我，" * 2500
    parse = model_parser.parse(text)
    assert len(text) == 20_000
    assert parse["intent"]["name"] is not None


def test_control_characters_and_mixed_scripts_do_not_break_parsing(model_parser):
    parse = model_parser.parse("HR说\x00\x1b產假只有98天 is that legal??")
    assert parse["intent"]["name"] == "legal_employment"


def test_traditional_and_cantonese_are_understood(model_parser):
    assert model_parser.parse("離婚後孩子撫養權歸誰")["intent"]["name"] == "legal_divorce"
    # A son gaming instead of his homework is screen time, not communication: one calm example
    # had it labelled communication (fixed) and data/nlu/writers.yml adds Cantonese gaming and homework.
    assert model_parser.parse("个仔成日打机唔做功课点算")["intent"]["name"] == "family_screen_study"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("救命 他在打我", "crisis_violence"),
        ("我刚刚被人强奸了", "crisis_sexual_assault"),
        ("药已经吃下去了", "crisis_self_harm"),
        ("隔壁正在打孩子 孩子一直在哭喊", "crisis_child_danger"),
    ],
)
def test_danger_now_overrides_everything(model_parser, text, intent):
    parse = model_parser.parse(text)
    assert parse["crisis"]["detected"] is True
    assert parse["intent"]["name"] == intent


@pytest.mark.parametrize(
    "text", ["我没有想自杀，只是最近睡不好", "他去年打过我，现在分居了，想问离婚的事", "笑死我了"]
)
def test_negated_and_past_mentions_are_not_crises(model_parser, text):
    parse = model_parser.parse(text)
    assert parse["crisis"]["detected"] is False
    assert not parse["intent"]["name"].startswith("crisis_")


@pytest.mark.parametrize("length", [661, 4100])
def test_danger_in_the_middle_of_a_long_message_gets_the_crisis_reply(model_parser, length):
    parse = model_parser.parse(story(length))
    assert parse["crisis"]["detected"] is True
    assert parse["intent"]["name"] == "crisis_violence"


@pytest.mark.parametrize("length", [661, 4100])
def test_the_same_long_story_without_the_danger_is_not_a_crisis(model_parser, length):
    parse = model_parser.parse(story(length, CALM))
    assert parse["crisis"]["detected"] is False
    assert not parse["intent"]["name"].startswith("crisis_")


@pytest.mark.parametrize("length", [661, 4100])
def test_a_dangerous_sentence_only_the_model_knows_is_not_diluted_by_a_long_story(model_parser, length):
    parse = model_parser.parse(story(length, "真的撑不下去了 想从这里跳下去一了百了。"))
    assert parse["crisis"]["detected"] is True and parse["crisis"]["source"] == "model"
    assert parse["intent"]["name"] == "crisis_self_harm"


# ---- writing it has never seen (pinyin, English, markup, a named person-kind) -------

def area(parse):
    from bot.taxonomy import load_taxonomy

    return load_taxonomy().category_of_parse(parse)


@pytest.mark.parametrize(
    "typed, intent",
    [
        ("lihun hou haizi fuyangquan gui shui", "legal_divorce"),
        ("lihunhouhaizifuyangquanguishui", "legal_divorce"),
        ("wo lao gong da wo", "crisis_violence"),
        ("jiuming ta zai da wo", "crisis_violence"),
    ],
)
def test_toneless_pinyin_is_understood_by_the_classifier_and_the_danger_check(model_parser, typed, intent):
    parse = model_parser.parse(typed)
    assert parse["intent"]["name"] == intent
    assert parse["crisis"]["detected"] is intent.startswith("crisis_")
    assert parse["pinyin"] == typed


def test_pinyin_without_danger_is_read_and_raises_no_alarm(model_parser):
    parse = model_parser.parse("zen me ban")
    assert parse["text"] == "怎么办"
    assert parse["crisis"]["detected"] is False


@pytest.mark.parametrize(
    "text, intent",
    [
        ("I need help, my husband hits me", "crisis_violence"),
        ("my husband is beating me now", "crisis_violence"),
        ("I want to kill myself", "crisis_self_harm"),
    ],
)
def test_danger_in_english_gets_the_crisis_verdict(model_parser, text, intent):
    parse = model_parser.parse(text)
    assert parse["crisis"]["detected"] is True
    assert parse["intent"]["name"] == intent


@pytest.mark.parametrize(
    "text, expected_area",
    [
        ("how to apply protection order", "legal"),
        ("divorce 后 custody 怎么判", "legal"),
        ("startup loan for women", "entrepreneurship"),
        ("my kid addicted to phone", "family_education"),
    ],
)
def test_english_and_mixed_questions_find_their_area(model_parser, text, expected_area):
    parse = model_parser.parse(text)
    assert area(parse) == expected_area
    assert parse["crisis"]["detected"] is False


@pytest.mark.parametrize("typed", ["<img src=x>我老公打我", "<b>救命</b>他拿刀了"])
def test_danger_wrapped_in_markup_gets_the_crisis_verdict(model_parser, typed):
    parse = model_parser.parse(typed)
    assert parse["crisis"]["detected"] is True
    assert parse["intent"]["name"] == "crisis_violence"


@pytest.mark.parametrize(
    "text, kind_area",
    [
        ("帮我找个律师", "legal"),
        ("need a lawyer", "legal"),
        ("能不能安排心理专家跟我聊一下", "care"),
    ],
)
def test_a_request_for_a_named_person_stays_a_request_and_carries_the_area(model_parser, text, kind_area):
    parse = model_parser.parse(text)
    assert parse["intent"]["name"] == "request_human"
    assert parse["person_kind"]["area"] == kind_area


@pytest.mark.parametrize(
    "text, kind_area",
    [("有没有家庭教育指导师", "family_education"), ("想请家庭教育老师指导一下", "family_education"),
     ("有没有创业导师", "entrepreneurship"), ("女企业家协会怎么加入", "entrepreneurship")],
)
def test_a_named_person_kind_agrees_with_the_area(model_parser, text, kind_area):
    parse = model_parser.parse(text)
    assert parse["person_kind"]["area"] == kind_area
    assert area(parse) in (kind_area, None)


@pytest.mark.parametrize(
    "text, expected_area",
    [
        ("残疾妇女创业有没有扶持", "entrepreneurship"),
        ("我想做社区团购，需要注意什么", "entrepreneurship"),
        ("养殖项目可以申请扶持资金吗", "entrepreneurship"),
        ("离婚后怎么跟孩子解释，怕对他有影响", "family_education"),
        ("初三了压力很大，孩子整晚睡不着，家长能做什么", "family_education"),
        ("我女儿在学校被同学打伤了，学校推卸责任，我想追究责任", "legal"),
        ("我是外来务工人员，孩子生病了没钱看", "care"),
    ],
)
def test_the_issues_boundary_messages_find_their_area(model_parser, text, expected_area):
    assert area(model_parser.parse(text)) == expected_area


def test_a_cleaning_job_is_job_seeking(model_parser):
    assert model_parser.parse("家政公司招人吗，我想做保洁")["intent"]["name"] == "job_seeking"


@pytest.mark.parametrize("text", ["我想投诉下", "我要投诉你们", "孩子今年六岁", "女儿8岁了", "儿子3岁"])
def test_a_short_complaint_or_a_childs_age_raises_no_alarm(model_parser, text):
    """「我想投诉」 read as self-harm and 「孩子5岁」 as a child in danger until calm examples of
    both were added; these wordings are not among them."""
    assert model_parser.parse(text)["crisis"]["detected"] is False
