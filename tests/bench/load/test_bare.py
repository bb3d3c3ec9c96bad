from pathlib import Path

import pytest
import yaml

from bench.load import bare
from bench.load.bare import (BareProject, bare_config, bare_domain, bare_rules, domain_intents, ensure_model,
                             examples_by_intent, nlu_yaml, write_project)

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def test_the_bare_domain_has_every_intent_of_the_project_and_one_response_each(tmp_path):
    project = write_project(tmp_path, epochs=3, rasa_version="3.6.21")
    ours = domain_intents(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")))
    domain = yaml.safe_load(project.domain.read_text(encoding="utf-8"))
    assert domain["intents"] == ours
    assert set(domain["responses"]) == {f"utter_{intent}" for intent in ours}
    assert all(len(texts) == 1 and texts[0]["text"] for texts in domain["responses"].values())
    assert "actions" not in domain and "slots" not in domain and "forms" not in domain
    rules = yaml.safe_load((project.data / "rules.yml").read_text(encoding="utf-8"))["rules"]
    assert {(r["steps"][0]["intent"], r["steps"][1]["action"]) for r in rules} == {(i, f"utter_{i}") for i in ours}


def test_the_bare_training_data_is_the_project_examples_of_those_intents(tmp_path):
    project = write_project(tmp_path, epochs=3, rasa_version="3.6.21")
    written = yaml.safe_load((project.data / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    examples = {item["intent"]: [line[2:] for line in item["examples"].splitlines()] for item in written}
    assert "我怀孕了公司要辞退我" not in examples.get("greet", [])
    source = yaml.safe_load((PROJECT_ROOT / "data/nlu/legal.yml").read_text(encoding="utf-8"))["nlu"][0]
    first = source["examples"].splitlines()[0][2:]
    assert first in examples[source["intent"]]
    assert sum(len(texts) for texts in examples.values()) > 3000


def test_examples_are_kept_once_in_order_and_only_for_domain_intents():
    documents = [{"nlu": [{"intent": "greet", "examples": "- 你好\n- 在吗\n"},
                          {"intent": "unknown", "examples": "- 什么\n"}]},
                 {"nlu": [{"intent": "greet", "examples": "- 你好\n- 哈喽\n"}]}]
    assert examples_by_intent(documents, ["greet"]) == {"greet": ["你好", "在吗", "哈喽"]}
    assert yaml.safe_load(nlu_yaml({"greet": ["你好", "在吗"]}))["nlu"][0]["examples"] == "- 你好\n- 在吗\n"


def test_the_stock_pipeline_with_rules_only():
    config = bare_config(7)
    assert [c["name"] for c in config["pipeline"]][-1] == "DIETClassifier"
    assert config["pipeline"][-1]["epochs"] == 7
    assert config["policies"] == [{"name": "RulePolicy"}]
    assert bare_domain(["legal_divorce"], {"legal_divorce": "离婚与孩子抚养"})["responses"]["utter_legal_divorce"][0][
        "text"].count("离婚与孩子抚养") == 1
    assert bare_rules(["greet"])["rules"][0]["steps"] == [{"intent": "greet"}, {"action": "utter_greet"}]


def test_the_fingerprint_follows_the_inputs(tmp_path):
    first = write_project(tmp_path / "a", epochs=3, rasa_version="3.6.21")
    again = write_project(tmp_path / "b", epochs=3, rasa_version="3.6.21")
    more_epochs = write_project(tmp_path / "c", epochs=4, rasa_version="3.6.21")
    other_rasa = write_project(tmp_path / "d", epochs=3, rasa_version="3.6.20")
    assert first.fingerprint == again.fingerprint
    assert len({first.fingerprint, more_epochs.fingerprint, other_rasa.fingerprint}) == 3


def test_a_cached_model_is_not_trained_again_and_a_missing_one_is(tmp_path):
    project = BareProject(folder=tmp_path, config=tmp_path / "config.yml", domain=tmp_path / "domain.yml",
                          data=tmp_path / "data", fingerprint="abc")
    calls = []

    class Run:
        seconds = 12.5

    def fake_train(command, workdir):
        calls.append(command)
        out = tmp_path / "models"
        out.mkdir(exist_ok=True)
        (out / (command[command.index("--fixed-model-name") + 1] + ".tar.gz")).write_bytes(b"model")
        return Run()

    assert ensure_model(project, train=fake_train) == 12.5
    assert project.model.read_bytes() == b"model" and project.model.name == "bare-abc.tar.gz"
    assert ensure_model(project, train=fake_train) is None
    assert len(calls) == 1
    assert bare.BARE_EPOCHS >= 1


def test_a_training_cut_short_leaves_no_model_that_looks_finished(tmp_path):
    project = BareProject(folder=tmp_path, config=tmp_path / "config.yml", domain=tmp_path / "domain.yml",
                          data=tmp_path / "data", fingerprint="abc")

    def interrupted(command, workdir):
        out = tmp_path / "models"
        out.mkdir(exist_ok=True)
        (out / (command[command.index("--fixed-model-name") + 1] + ".tar.gz")).write_bytes(b"half a mo")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ensure_model(project, train=interrupted)
    assert not project.model.exists()
