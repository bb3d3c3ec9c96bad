"""Reading a run-on message clause by clause (actions/clauses.py), on the shipped FAQ."""
import pytest

from actions.clauses import clauses, confirmed_by_a_side, even_pair_by_sides, other_area, question_at_the_end, second_need
from bot.knowledge_index import KnowledgeIndex
from nlu.text import normalize


@pytest.fixture(scope="module")
def index():
    return KnowledgeIndex()


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_a_message_is_cut_where_she_paused_and_where_a_second_wish_begins():
    assert clauses("离婚后前夫一直不给抚养费 我还想找份工作，有没有那种妈妈岗") == [
        "离婚后前夫一直不给抚养费", "我还想找份工作", "有没有那种妈妈岗"]
    assert clauses("孩子厌学我又想出去上班") == ["孩子厌学", "我又想出去上班"]


def test_english_words_between_her_pauses_stay_together():
    assert clauses("I want to 开个奶茶店，想了解创业担保贷款；also 我老公说我婚后开的店都是他的，is that true?") == [
        "I want to", "开个奶茶店", "想了解创业担保贷款", "also", "我老公说我婚后开的店都是他的", "is that true?"]
    assert clauses("my boss 不给我 maternity leave") == ["my boss", "不给我", "maternity leave"]


def test_the_other_area_is_the_best_reading_outside_the_message_area_if_it_is_a_contender():
    assert other_area(ranking(("job_seeking", 0.52), ("legal_family_property", 0.42)), "entrepreneurship") == "legal"
    assert other_area(ranking(("startup_finance", 0.91), ("startup_business", 0.02), ("family_guidance", 0.01)),
                      "entrepreneurship") is None
    assert other_area(ranking(("job_seeking", 0.3), ("crisis_self_harm", 0.2)), "entrepreneurship") is None


@pytest.mark.parametrize("text, readings, area, entry, first", [
    ("离婚后前夫一直不给抚养费 我还想找份工作 有没有那种妈妈岗", (("job_seeking", 0.52), ("legal_family_property", 0.42)),
     "entrepreneurship", "legal.divorce.child_support", True),
    ("公司拖了我三个月工资 我干脆想自己开个奶茶店 有没有补贴", (("legal_employment", 0.66), ("startup_finance", 0.19)),
     "legal", "entrepreneurship.preferential_policy", False),
])
def test_the_need_in_the_other_area_is_found_with_where_she_wrote_it(index, text, readings, area, entry, first):
    found = second_need(index, normalize(text), ranking(*readings), area)
    assert found is not None and (found.entry.id, found.first) == (entry, first)


def test_one_need_in_one_area_is_not_cut_in_two(index):
    text = normalize("我跟我老公都同意离了 去民政局要咋办")
    assert second_need(index, text, ranking(("legal_divorce", 0.38), ("legal_family_property", 0.1)), "legal") is None
    assert second_need(index, normalize("我想在家开网店带孩子 有没有创业贷款"),
                       ranking(("startup_finance", 0.91), ("family_guidance", 0.01)), "entrepreneurship") is None


def test_a_plain_question_after_small_talk_is_found(index):
    entry = question_at_the_end(index, normalize("笑死我了 我家那个做饭差点把厨房炸了 哈哈哈 问下妇联有没有培训月嫂的"))
    assert entry is not None and entry.category == "entrepreneurship"
    assert question_at_the_end(index, normalize("今天天气真好 哈哈")) is None


@pytest.mark.parametrize("text, area, entry, first", [
    ("我在闹离婚，孩子上初二最近成绩一落千丈还天天玩手机，想问下抚养权怎么争取，还有孩子手机瘾怎么办",
     "family_education", "legal.divorce.custody", False),
    ("俺嫁到外村了 村里不给分征地款 说嫁出去的闺女泼出去的水 还有想学个手艺 有免费培训不",
     "legal", "entrepreneurship.training", False),
    ("I want to 开个奶茶店，想了解创业担保贷款；also 我老公说我婚后开的店都是他的，is that true?",
     "entrepreneurship", "legal.divorce.property", False),
    ("厂里拖了三个月工资没发 孩子在老家爷爷奶奶带不动 我两头着急", "legal", "family_education.left_behind_parenting", False),
    ("生完孩子老是想哭 老板还说我产假回来就没岗位了", "legal", "care.postpartum_depression", True),
])
def test_a_clear_clause_of_another_area_is_a_second_need_though_the_classifier_ranked_none(
        index, text, area, entry, first):
    found = second_need(index, normalize(text), ranking(("x", 0.95), ("y", 0.01)), area)
    assert found is not None and (found.entry.id, found.first) == (entry, first)


@pytest.mark.parametrize("text, area", [
    ("老公天天打游戏不管孩子 我想离婚 孩子两岁", "legal"),
    ("单位知道我怀孕就要辞退我 我好难过", "legal"),
    ("我想咨询律师关于离婚财产的问题，能帮我联系一个吗", "legal"),
    ("那个保护令要钱吗 去哪里申请", "legal"),  # "去哪里申请" asks about the protection order, not for aid
])
def test_a_weak_clause_of_another_area_is_no_second_need(index, text, area):
    assert second_need(index, normalize(text), ranking(("x", 0.95), ("y", 0.01)), area) is None


def test_a_run_on_message_gets_the_entry_it_ranks_first_when_a_clause_clearly_asks_for_it(index):
    text = normalize("离昏两年了 孩子跟我 他一分抚养费都不给 能告他吗")
    assert index.search_faq(text, "legal")[0].score < 0.2  # the whole message alone decides nothing
    assert confirmed_by_a_side(index, text, "legal").entry.id == "legal.divorce.child_support"


@pytest.mark.parametrize("text, area", [("我跟我老公都同意离了 去民政局要咋办", "legal"),  # no clause is clear alone
                                        ("他一分抚养费都不给", "legal"),  # one clause: the whole message decides
                                        ("前年他打过我一次 我报了警 现在想离婚 这个能当证据吗", "legal"),  # two entries even
                                        ("离婚两年了 孩子跟我 他一分抚养费都不给 能告他吗", "care")])  # another area
def test_no_side_confirms_what_a_clause_does_not_clearly_ask_or_another_area(index, text, area):
    assert confirmed_by_a_side(index, normalize(text), area) is None


@pytest.mark.parametrize("text, pair", [
    ("前年他打过我 当时报了警派出所有记录 现在我想离昏 这个记录有用吗", ("legal.divorce.process", "legal.dv.evidence")),
    ("我外孙女爸妈离婚了 孩子跟她妈 她爸两年没给过抚养费 我们当外婆的能帮她要吗",
     ("legal.divorce.custody", "legal.divorce.child_support")),
])
def test_two_entries_the_whole_ranks_even_are_both_answered_when_each_is_a_clause_of_hers(index, text, pair):
    found = even_pair_by_sides(index, normalize(text), "legal")
    assert found is not None and (found[0].id, found[1].id) == pair


@pytest.mark.parametrize("text", ["我跟我老公都同意离了 去民政局要咋办",  # one clause asks nothing clearly
                                  "我怀孕了公司要辞退我，我电话13812345678",  # her phone number names no need
                                  "离婚两年了 孩子跟我 他一分抚养费都不给 能告他吗"])  # one entry leads
def test_no_pair_when_one_entry_leads_or_no_clause_asks_clearly(index, text):
    assert even_pair_by_sides(index, normalize(text), "legal") is None
