import pytest

from bot.retrieval import Bm25Retriever, ClassifierRetriever, HybridRetriever, TfidfRetriever

DOCUMENTS = [
    ("dv", ["遭受家庭暴力怎么办", "老公打我怎么办", "被家暴了找谁"]),
    ("order", ["怎么申请人身安全保护令", "保护令去哪里申请"]),
    ("loan", ["创业担保贷款怎么申请", "创业贷款能贷多少"]),
    ("phone", ["孩子沉迷手机游戏怎么办", "个仔成日打机点算"]),
]


@pytest.fixture(scope="module", params=["bm25", "tfidf", "hybrid"])
def retriever(request):
    bm25, tfidf = Bm25Retriever(DOCUMENTS), TfidfRetriever(DOCUMENTS)
    return {"bm25": bm25, "tfidf": tfidf, "hybrid": HybridRetriever(bm25, tfidf)}[request.param]


@pytest.mark.parametrize(
    "question, expected",
    [("保护令要去哪个法院申请", "order"), ("想创业，贷款额度多少", "loan"), ("孩子天天玩手机游戏", "phone"),
     ("被老公打了", "dv")],
)
def test_the_right_document_comes_first(retriever, question, expected):
    assert retriever.search(question)[0].id == expected


def test_scores_are_between_zero_and_one_and_sorted(retriever):
    hits = retriever.search("老公打我怎么办", limit=4)
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_an_unrelated_question_scores_low(retriever):
    assert retriever.search("今天广州天气怎么样") == [] or retriever.search("今天广州天气怎么样")[0].score < 0.3


def test_nothing_to_search_returns_nothing(retriever):
    assert retriever.search("") == [] and retriever.search("😭😭") == []


def test_a_single_document_gives_the_classifier_nothing_to_tell_apart():
    assert ClassifierRetriever([("order", ["怎么申请人身安全保护令"])]).search("今天广州天气怎么样") == []
