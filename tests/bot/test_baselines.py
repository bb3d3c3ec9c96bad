from pathlib import Path

from bot.baselines import CharNgramBaseline, CrisisFromIntent, training_examples
from bot.evaluation import Example

EXAMPLES = [Example(text, intent) for intent, texts in {
    "greet": ["你好", "您好呀", "哈喽你好", "早上好"],
    "legal_divorce": ["我想离婚", "离婚怎么办手续", "协议离婚要什么", "离婚孩子归谁"],
    "crisis_violence": ["他正在打我", "他拿刀要砍我", "救命他在打我", "他在砸门要打我"],
}.items() for text in texts]


def test_the_baseline_learns_the_training_messages_and_answers_like_a_parse():
    baseline = CharNgramBaseline().fit(EXAMPLES)
    parse = baseline.parse("我要离婚")
    assert parse["intent"]["name"] == "legal_divorce" and 0 < parse["intent"]["confidence"] <= 1
    assert [r["name"] for r in parse["intent_ranking"]][0] == "legal_divorce"
    assert parse["crisis"] == {"detected": False}


def test_its_crisis_verdict_is_a_crisis_intent_and_an_empty_message_has_no_intent():
    baseline = CharNgramBaseline().fit(EXAMPLES)
    assert baseline.parse("他在打我")["crisis"] == {"detected": True}
    assert baseline.parse("")["intent"]["name"] is None


def test_a_parser_without_a_detector_gets_its_crisis_verdict_from_the_intent():
    class Stock:
        closed = False

        def parse(self, text):
            return {"intent": {"name": "crisis_self_harm" if "活" in text else "greet"}}

        def close(self):
            self.closed = True

    stock = Stock()
    parser = CrisisFromIntent(stock)
    assert parser.parse("不想活了")["crisis"]["detected"] and not parser.parse("你好")["crisis"]["detected"]
    parser.close()
    assert stock.closed


def test_training_examples_reads_every_nlu_file_of_a_folder(tmp_path: Path):
    (tmp_path / "a.yml").write_text('nlu:\n- intent: greet\n  examples: |\n    - 你好\n', encoding="utf-8")
    (tmp_path / "b.yml").write_text('nlu:\n- intent: thanks\n  examples: |\n    - 谢谢\n    - 多谢\n', encoding="utf-8")
    assert [(e.text, e.intent) for e in training_examples(tmp_path)] == [("你好", "greet"), ("谢谢", "thanks"),
                                                                        ("多谢", "thanks")]
