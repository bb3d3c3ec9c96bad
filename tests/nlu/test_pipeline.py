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
