from pathlib import Path

import jieba

from nlu.tokenizer import ChineseJiebaTokenizer
from tests.nlu.components import build, message

DICTIONARY = Path(__file__).resolve().parents[2] / "nlu" / "dictionary"


def test_domain_words_stay_whole_and_no_blank_tokens(tmp_path):
    tokenizer, *_ = build(ChineseJiebaTokenizer, tmp_path, dictionary_path=str(DICTIONARY))
    tokens = tokenizer.tokenize(message("怎么申请人身安全保护令 HR said no"), "text")
    texts = [t.text for t in tokens]
    assert "人身安全保护令" in texts
    assert all(t.strip() for t in texts)


def test_the_dictionary_is_loaded_once_per_content(tmp_path, monkeypatch):
    build(ChineseJiebaTokenizer, tmp_path, dictionary_path=str(DICTIONARY))
    calls = []
    monkeypatch.setattr(jieba, "load_userdict", lambda path: calls.append(path))
    build(ChineseJiebaTokenizer, tmp_path / "again", dictionary_path=str(DICTIONARY))
    assert calls == []


def test_a_changed_dictionary_changes_the_cache_fingerprint(tmp_path):
    (tmp_path / "userdict.txt").write_text("保护令 100 n\n", encoding="utf-8")
    before = ChineseJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)})
    (tmp_path / "userdict.txt").write_text("保护令 100 n\n彩礼 100 n\n", encoding="utf-8")
    assert ChineseJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)}) != before
