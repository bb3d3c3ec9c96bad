"""The character n-gram classifier: trains, scores, saves and loads, weights stored for fast scoring."""
import numpy as np
import pytest

from nlu import char_ngram_model

TEXTS = ["老公打我", "他又动手打人了", "我想离婚", "离婚孩子归谁", "孩子不写作业", "儿子天天打游戏",
         "想开个网店", "创业贷款怎么申请"]
LABELS = ["violence", "violence", "divorce", "divorce", "education", "education", "business", "business"]


@pytest.fixture(scope="module")
def model():
    return char_ngram_model.fit(char_ngram_model.build_model(3, 20.0), TEXTS, LABELS)


def test_scores_every_label_and_ranks_the_right_one_first(model):
    found = char_ngram_model.probabilities(model, "老公又打我")
    assert set(found) == set(LABELS)
    assert max(found, key=found.get) == "violence"
    assert sum(found.values()) == pytest.approx(1.0)


def test_no_model_or_no_text_scores_nothing(model):
    assert char_ngram_model.probabilities(None, "老公打我") == {}
    assert char_ngram_model.probabilities(model, "") == {}
    assert char_ngram_model.probabilities_of_each(model, ["", "想开网店"])[0] == {}


def test_many_texts_score_as_each_alone(model):
    texts = ["儿子打游戏", "网店贷款", "离婚"]
    together = char_ngram_model.probabilities_of_each(model, texts)
    assert together == [pytest.approx(char_ngram_model.probabilities(model, text)) for text in texts]


def test_weights_are_stored_column_by_column_after_fit_and_load(model, tmp_path):
    assert model.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]
    path = tmp_path / "model.joblib"
    char_ngram_model.save(model, path)
    loaded = char_ngram_model.load(path)
    assert loaded.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]
    assert char_ngram_model.load(tmp_path / "missing.joblib") is None


def test_column_order_changes_no_probability(model):
    texts = ["老公打我我想离婚", "儿子", "hello", "网" * 2000]
    classifier = model.steps[-1][1]
    column_scores = model.predict_proba(texts)
    classifier.coef_ = np.ascontiguousarray(classifier.coef_)  # scikit-learn's own order
    row_scores = model.predict_proba(texts)
    char_ngram_model.with_column_weights(model)
    assert np.array_equal(column_scores, row_scores)
    assert classifier.coef_.flags["F_CONTIGUOUS"]
