"""Training a Rasa model from scratch in a child process, timed, with its peak memory.

"From scratch" means an empty Rasa cache (a fresh `RASA_CACHE_DIRECTORY`), so no
component is reused from an earlier training. The training's own output is kept
in a log beside the model; DIET's progress bar there gives the time per epoch.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = PROJECT_ROOT / ".venv" / "bin" / "rasa"
_EPOCH_BAR = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+)\s*\[(?:(\d+):)?(\d+):(\d+)<")


@dataclass(frozen=True)
class TrainingRun:
    model: Path
    seconds: float
    peak_rss_mb: float
    log: Path
    cpu_seconds: float = 0.0  # user + system time: what the training costs whatever else the cores do
    epoch_seconds: Optional[float] = None  # DIET's time per epoch, from its progress bar
    epochs: Optional[int] = None


def epoch_timing(log_text: str) -> Optional[Dict[str, float]]:
    """The last finished DIET progress bar in a training log: epochs and seconds per epoch."""
    finished = None
    for segment in re.split(r"[\r\n]", log_text):
        match = _EPOCH_BAR.search(segment)
        if match and match.group(1) == match.group(2) and int(match.group(2)) > 0:
            hours, minutes, seconds = (int(match.group(i) or 0) for i in (3, 4, 5))
            epochs = int(match.group(2))
            finished = {"epochs": epochs, "epoch_seconds": (hours * 3600 + minutes * 60 + seconds) / epochs}
    return finished


def rasa_train_command(out: Path, name: str, config: Path, nlu_only: bool = False,
                       nlu_data: Optional[Path] = None) -> List[str]:
    command = [str(RASA_BIN), "train"] + (["nlu"] if nlu_only else [])
    command += ["--config", str(config), "--out", str(out), "--fixed-model-name", name]
    if nlu_data:
        command += ["--nlu", str(nlu_data)]
    return command


def train(command: List[str], workdir: Path, environment: Optional[Dict[str, str]] = None) -> TrainingRun:
    """Runs `command` (a `rasa train …`) with an empty cache and waits for it."""
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "training.log"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_CACHE_DIRECTORY": str(workdir / "cache"),
           **(environment or {})}
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed ({process.returncode}); see {log}")
    out = Path(command[command.index("--out") + 1])
    name = command[command.index("--fixed-model-name") + 1]
    timing = epoch_timing(log.read_text(encoding="utf-8", errors="replace")) or {}
    return TrainingRun(model=out / f"{name}.tar.gz", seconds=round(seconds, 1),
                       peak_rss_mb=round(usage.ru_maxrss / 1024, 0), log=log,
                       cpu_seconds=round(usage.ru_utime + usage.ru_stime, 1),
                       epoch_seconds=round(timing["epoch_seconds"], 1) if timing else None,
                       epochs=timing.get("epochs"))
