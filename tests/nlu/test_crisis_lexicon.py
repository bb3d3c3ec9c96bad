from pathlib import Path

import pytest

from nlu.crisis_lexicon import CrisisLexicon
from nlu.text import normalize

LEXICON_FILE = Path(__file__).resolve().parents[2] / "nlu" / "crisis_lexicon.yml"


@pytest.fixture(scope="module")
def lexicon() -> CrisisLexicon:
    return CrisisLexicon.from_file(LEXICON_FILE)


@pytest.mark.parametrize(
    "text, crisis_type",
    [
        ("救命 他在打我", "violence"),
        ("佢而家喺度打我", "violence"),
        ("他拿着菜刀说要砍死我", "violence"),
        ("他把我反锁在房间里出不去", "violence"),
        ("快帮我报警", "violence"),
        ("我不想活了", "self_harm"),
        ("我唔想再活落去", "self_harm"),
        ("藥已經吃了一整瓶藥", "self_harm"),  # traditional, normalised first
        ("我现在站在天台上", "self_harm"),
        ("我刚刚被强奸了", "sexual_assault"),
        ("隔壁正在打孩子，孩子一直惨叫", "child_danger"),
        ("儿子说要跳楼", "child_danger"),
    ],
)
def test_danger_now_is_found(lexicon, text, crisis_type):
    assert lexicon.imminent_type(normalize(text)) == crisis_type


@pytest.mark.parametrize(
    "text",
    [
        "我没有想自杀，就是睡不着",
        "我冇想过自杀",
        "他去年把我锁在家里，现在分居了",
        "以前想过自杀现在好多了",
        "累死了",
        "气死我了，老板又扣工资",
        "笑死我了哈哈",
        "孩子天天打机怎么办",
        "被杀猪盘骗了钱",
        "老公打我怎么办",
        "不是 他没在打我 我就问问",
        "老公每次吵架都说要打死我，但从来没动过手",
        "以前他把我锁在家里不让出门 现在我搬出来了",
        "孩子说同学扬言要打死他",
    ],
)
def test_negated_past_and_idiomatic_phrases_are_not_imminent(lexicon, text):
    assert lexicon.imminent_type(normalize(text)) is None


def test_negated_hit_is_reported_as_negated(lexicon):
    hits = lexicon.find(normalize("我没有想自杀"))
    assert hits and all(hit.negated and not hit.imminent for hit in hits)


def test_present_cue_after_the_past_cue_makes_it_now(lexicon):
    assert lexicon.imminent_type("以前他也这样现在他又在打我") == "violence"


def test_euphemisms_are_found(lexicon):
    assert lexicon.imminent_type(normalize("我想自sha")) == "self_harm"
    assert lexicon.imminent_type(normalize("我在大桥上面 唔知应唔应该跳")) == "self_harm"


def test_unknown_crisis_type_is_rejected():
    with pytest.raises(ValueError, match="unknown crisis types"):
        CrisisLexicon({"flood": ["水"]}, [], [], [])


def test_missing_section_is_rejected():
    with pytest.raises(ValueError, match="negation_cues"):
        CrisisLexicon.from_dict({"patterns": {}, "past_cues": [], "present_cues": []})


def test_a_child_saying_they_do_not_want_to_live_is_a_child_in_danger(lexicon):
    assert lexicon.imminent_type(normalize("個仔話唔想活，而家喺天台邊度坐住")) == "child_danger"


def test_charcoal_burning_is_self_harm(lexicon):
    assert lexicon.imminent_type(normalize("烧了炭 门窗都关了")) == "self_harm"


@pytest.mark.parametrize("text", ["我已经报警了", "我安全了 警察把他带走了", "救护车来了 我室友陪着我",
                                  "差人嚟咗 佢俾人拉咗", "我抱着女儿跑到邻居家了 也报了警"])
def test_news_that_help_has_come_is_aftermath(lexicon, text):
    assert lexicon.aftermath(normalize(text))


@pytest.mark.parametrize("text", ["报了警 可他又回来了", "警察还没来 他还在砸门", "救命 他在打我"])
def test_danger_still_going_on_is_not_aftermath(lexicon, text):
    assert not lexicon.aftermath(normalize(text))


@pytest.mark.parametrize("text", ["好了 他去洗澡了 剛才說到房子", "佢走咗 我冇事"])
def test_he_is_away_for_now_is_aftermath(lexicon, text):
    assert lexicon.aftermath(normalize(text))


@pytest.mark.parametrize(
    "text, crisis_type",
    [
        ("I need help, my husband hits me", "violence"),
        ("my husband is beating me now", "violence"),
        ("help he has a knife", "violence"),
        ("he says he is going to kill me", "violence"),
        ("he locked me in the bathroom", "violence"),
        ("my husband 在打我", "violence"),
        ("I want to kill myself", "self_harm"),
        ("I don't want to live anymore", "self_harm"),
        ("I just took a bottle of sleeping pills", "self_harm"),
        ("I was just raped", "sexual_assault"),
        ("he is beating my son", "child_danger"),
        ("my daughter says she wants to kill herself", "child_danger"),
    ],
)
def test_danger_now_in_english_is_found(lexicon, text, crisis_type):
    assert lexicon.imminent_type(normalize(text)) == crisis_type


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to kill myself, I'm just tired",
        "I'm not going to kill myself",
        "I used to want to die",
        "he always beats me when he drinks",
        "my husband hits me when he is drunk, can I get a divorce",
        "he hit me last year",
        "my husband hits me sometimes 可以离婚吗",  # normalised, "sometimes" runs into the Chinese
        "he hits me 经常 怎么办",
        "I was raped years ago",
        "she hits me up on wechat every day",
        "beats me",
        "how to apply protection order",
        "suicide hotline number?",
    ],
)
def test_negated_past_habitual_and_idiomatic_english_is_not_imminent(lexicon, text):
    assert lexicon.imminent_type(normalize(text)) is None


@pytest.mark.parametrize("text", ["我老公打我", "<img src=x>我老公打我", "老公又打我了", "<b>救命</b>他拿刀了"])
def test_he_hits_me_said_as_it_is_now_is_violence(lexicon, text):
    assert lexicon.imminent_type(normalize(text)) == "violence"


@pytest.mark.parametrize("text", ["他打我的时候孩子看到了", "他没拿刀", "他以前拿刀出来吓过我"])
def test_hitting_told_as_a_circumstance_or_denied_is_not_imminent(lexicon, text):
    assert lexicon.imminent_type(normalize(text)) is None


def test_english_news_that_help_has_come_is_aftermath(lexicon):
    assert lexicon.aftermath(normalize("I already called the police, I'm safe now"))
    assert not lexicon.aftermath(normalize("I called the police but he is still here"))


@pytest.mark.parametrize("text", ["他在门外撬锁", "前夫喝醉了正在撬门", "佢而家返嚟喺門口撬緊鎖", "他说今晚不会放过我",
                                  "佢话等阵返嚟就斩死我", "他说一会回来就砍死我"])
def test_forcing_the_lock_or_a_threat_for_tonight_is_violence_now(lexicon, text):
    assert lexicon.imminent_type(normalize(text)) == "violence"


@pytest.mark.parametrize("text", ["我想学撬锁", "开锁师傅在撬锁吗 要多少钱", "他没在撬门"])
def test_locks_without_him_forcing_one_are_not_danger(lexicon, text):
    assert lexicon.imminent_type(normalize(text)) is None


def _lexicon_file(tmp_path, text):
    path = tmp_path / "crisis_lexicon.yml"
    path.write_text(text, encoding="utf-8")
    return path


_CUES = "negation_cues: [没有]\npast_cues: [以前]\npresent_cues: [现在]\n"


def test_the_shipped_lexicon_passes_its_schema():
    assert CrisisLexicon.from_file(LEXICON_FILE).imminent_type("救命 他在打我") == "violence"


@pytest.mark.parametrize("text, fault", [
    (_CUES + "patterns: {violence: 在打我}\n", "'patterns.violence' must be a list"),
    (_CUES.replace("[以前]", "以前") + "patterns: {violence: [在打我]}\n", "'past_cues' must be a list"),
    (_CUES + "aftermath_cues: 已经报警\npatterns: {violence: [在打我]}\n", "'aftermath_cues' must be a list"),
    (_CUES + "patterns: {flood: [水]}\n", "flood"),
    (_CUES + "patterns: {violence: []}\n", "'patterns.violence' needs at least 1"),
    (_CUES + "patterns: {violence: ['  ']}\n", "'patterns.violence.0' is empty"),
    (_CUES + "patterns: {}\n", "'patterns' is empty"),
    (_CUES.replace("present_cues: [现在]\n", "") + "patterns: {violence: [在打我]}\n", "missing field 'present_cues'"),
    (_CUES + "negation_window: four\npatterns: {violence: [在打我]}\n", "'negation_window' must be a whole number"),
    (_CUES + "negation_words_window: 0\npatterns: {violence: [在打我]}\n", "negation_words_window"),
    (_CUES + "present_cue: [而家]\npatterns: {violence: [在打我]}\n", "unknown field.*present_cue"),
    ("", "crisis_lexicon.yml"),
])
def test_a_lexicon_file_that_breaks_a_rule_is_refused_saying_where(tmp_path, text, fault):
    with pytest.raises(ValueError, match=fault):
        CrisisLexicon.from_file(_lexicon_file(tmp_path, text))


def test_a_lexicon_stored_with_a_model_is_checked_when_it_is_read_back():
    with pytest.raises(ValueError, match="crisis_lexicon.yml: 'negation_cues' must be a list"):
        CrisisLexicon.from_yaml(_CUES.replace("[没有]", "没有") + "patterns: {violence: [在打我]}\n")


def test_harm_done_with_an_instrument_now_and_a_younger_sibling_are_read():
    from pathlib import Path

    from nlu.crisis_lexicon import CrisisLexicon
    from nlu.text import normalize

    lexicon = CrisisLexicon.from_yaml(Path("nlu/crisis_lexicon.yml").read_text(encoding="utf-8"))
    assert [h.crisis_type for h in lexicon.find(normalize("继父正在用烟头烫我妹妹 我才十三岁"))] == ["child_danger"]
    assert [h.crisis_type for h in lexicon.find(normalize("他正在用皮带抽我"))] == ["violence"]
    assert lexicon.find(normalize("我以前被他用烟头烫过")) == [] and lexicon.find(normalize("我正在用手机打字给你")) == []
