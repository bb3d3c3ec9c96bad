import sys
from pathlib import Path

import pytest

from bot.bench_training import epoch_timing, rasa_train_command, train

BAR = ("Epochs:   0%|          | 0/15 [00:00<?, ?it/s]\rEpochs:   7%|▋         | 1/15 [00:41<09:34, 41.0s/it]\r"
       "Epochs: 100%|██████████| 15/15 [10:03<00:00, 40.2s/it, t_loss=1.2, i_acc=0.9]\n")


def test_the_time_per_epoch_comes_from_the_last_finished_progress_bar():
    assert epoch_timing(BAR) == {"epochs": 15, "epoch_seconds": pytest.approx(603 / 15)}
    assert epoch_timing("Epochs: 100%|█| 2/2 [1:00:00<00:00]") == {"epochs": 2, "epoch_seconds": 1800}


def test_an_unfinished_or_missing_progress_bar_gives_no_timing():
    assert epoch_timing("Epochs:   7%|▋  | 1/15 [00:41<09:34, 41.0s/it]") is None
    assert epoch_timing("no diet here") is None


def test_the_command_trains_nlu_only_on_request_with_its_own_config_and_data():
    command = rasa_train_command(Path("/tmp/out"), "stock", Path("/tmp/c.yml"), nlu_only=True, nlu_data=Path("d"))
    assert command[1:3] == ["train", "nlu"]
    assert command[3:] == ["--config", "/tmp/c.yml", "--out", "/tmp/out", "--fixed-model-name", "stock", "--nlu", "d"]
    assert rasa_train_command(Path("o"), "m", Path("c.yml"))[2] == "--config"


def test_a_training_is_timed_with_an_empty_cache_and_its_peak_memory(tmp_path: Path):
    script = ("import os,sys; open(os.path.join(sys.argv[2], 'cache.txt'), 'w').write(os.environ['RASA_CACHE_DIRECTORY']);"
              "print('Epochs: 100%|█| 4/4 [00:08<00:00]')")
    command = [sys.executable, "-c", script, "--out", str(tmp_path), "--fixed-model-name", "m"]
    run = train(command, tmp_path / "work")
    assert (tmp_path / "cache.txt").read_text() == str(tmp_path / "work" / "cache")
    assert run.model == tmp_path / "m.tar.gz" and run.seconds >= 0 and run.peak_rss_mb > 0
    assert (run.epochs, run.epoch_seconds) == (4, 2.0)


def test_a_failed_training_is_an_error_naming_its_log(tmp_path: Path):
    command = [sys.executable, "-c", "raise SystemExit(3)", "--out", str(tmp_path), "--fixed-model-name", "m"]
    with pytest.raises(RuntimeError, match="training.log"):
        train(command, tmp_path)
