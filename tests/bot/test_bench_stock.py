import yaml

from bot.bench_stock import epochs_for, stock_config, write_stock_config


def test_the_stock_pipeline_is_rasas_chinese_pipeline_with_diets_default_layers():
    config = stock_config(15)
    names = [component["name"] for component in config["pipeline"]]
    assert names == ["JiebaTokenizer", "CountVectorsFeaturizer", "CountVectorsFeaturizer", "DIETClassifier"]
    assert config["pipeline"][2]["analyzer"] == "char_wb"
    diet = config["pipeline"][3]
    assert diet["epochs"] == 15 and "number_of_transformer_layers" not in diet


def test_ten_minutes_at_forty_seconds_an_epoch_is_fifteen_epochs_and_never_none():
    assert epochs_for(600) == 15
    assert epochs_for(10) == 1


def test_the_config_is_written_as_rasa_yaml(tmp_path):
    path = write_stock_config(tmp_path / "stock", 3)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["pipeline"][3]["epochs"] == 3
