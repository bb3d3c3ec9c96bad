"""`make bench`: this project's pipeline against its speed, memory and training targets,
side by side with a plain character n-gram classifier (and, in `make bench-compare`,
with Rasa's stock Chinese pipeline), all trained on the same data/nlu.

The pipeline is trained from scratch (an empty Rasa cache) into a temporary
folder and timed; each contestant is then measured alone in its own process
(`bot/bench_legs.py`), and a live `rasa run` answers 1,000 messages through the
REST channel before its memory is read (`bot/bench_server.py`). Targets are
written next to the figures; the command exits non-zero when one is missed.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BLIND_FILE = PROJECT_ROOT / "tests" / "data" / "blind_nlu.yml"


@dataclass(frozen=True)
class Targets:
    """Times are CPU times: seven jobs share this machine's two cores, and its wall-clock
    times (reported beside them) move by a factor of four with the load. On an idle
    machine a single-threaded job's wall time is its CPU time."""

    training_cpu_seconds: float = 180.0  # `rasa train` from scratch, NLU and dialogue
    load_seconds: float = 60.0  # model load, once per process start
    p95_cpu_ms: float = 30.0  # one message through the whole NLU pipeline
    max_ms: float = 1_000.0  # the slowest message, the 20,000-character one included
    peak_rss_mb: float = 2_000.0  # the in-process NLU after every message
    server_rss_mb: float = 1_200.0  # a live `rasa run` after 1,000 messages

    def limits(self) -> Dict[str, float]:
        return asdict(self)


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(load: Callable[[], object], texts: List[str], warmup: int = 5) -> Dict[str, float]:
    started = time.perf_counter()
    parser = load()
    load_seconds = time.perf_counter() - started
    for text in [t for t in texts if len(t) <= 512][:warmup]:
        parser.parse(text)
    timings, cpu_timings, failed = [], [], 0
    for text in texts:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            parser.parse(text)
        except Exception:  # noqa: BLE001 - a pipeline that cannot read a message is a figure, not a crash
            failed += 1  # (Rasa's stock DIET runs out of memory on the 20,000-character message)
            continue
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
    close = getattr(parser, "close", None)
    if close:
        close()
    return {
        "messages": len(texts), "failed": failed, "load_seconds": round(load_seconds, 2),
        "median_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1), "per_second": round(len(texts) / (sum(timings) / 1000), 1),
        "peak_rss_mb": round(peak_rss_mb(), 0),
        # CPU time of the process: what a message costs whatever else the shared cores are doing
        "p95_cpu_ms": round(percentile(cpu_timings, 0.95), 1),
    }


def pipeline_measures(pipeline: Dict[str, object]) -> Dict[str, float]:
    """The figures of this project's pipeline that have targets, flat."""
    speed = pipeline.get("speed") or {}
    flat = {key: speed[key] for key in ("load_seconds", "p95_cpu_ms", "max_ms") if key in speed}
    if "peak_rss_mb" in pipeline:
        flat["peak_rss_mb"] = pipeline["peak_rss_mb"]
    if pipeline.get("training"):
        flat["training_cpu_seconds"] = pipeline["training"]["cpu_seconds"]
    if pipeline.get("server"):
        flat["server_rss_mb"] = pipeline["server"]["after_messages"]["rss_mb"]
    return flat


def missed(measures: Dict[str, float], targets: Targets) -> List[str]:
    return [f"{name} {measures[name]} > {limit}" for name, limit in targets.limits().items()
            if name in measures and measures[name] > limit]


def _leg(arguments: List[str], out: Path) -> Dict[str, object]:
    subprocess.run([sys.executable, "-m", "bot.bench_legs", *arguments, "--out", str(out)],
                   cwd=PROJECT_ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _test_files(heldout: Path, blind: Optional[Path]) -> List[str]:
    return ["--heldout", str(heldout)] + (["--blind", str(blind)] if blind and blind.exists() else [])


def bench_pipeline(model: Optional[Path], heldout: Path, blind: Optional[Path], work: Path,
                   server_messages: int) -> Dict[str, object]:
    """This project's pipeline: trained from scratch unless a model is given, then measured."""
    from bot import bench_training

    figures: Dict[str, object] = {}
    if model is None:
        command = bench_training.rasa_train_command(work / "pipeline", "m", PROJECT_ROOT / "config.yml")
        run = bench_training.train(command, work / "pipeline")
        figures["training"] = {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
                               "peak_rss_mb": run.peak_rss_mb, "what": "rasa train",
                               "epoch_seconds": run.epoch_seconds, "epochs": run.epochs}
        model = run.model
    figures.update(_leg(["rasa", "--model", str(model), *_test_files(heldout, blind)], work / "pipeline.json"))
    if server_messages:
        from bot.bench_server import measure_server, texts_for_server

        server = measure_server(model, texts_for_server(heldout), work / "server", server_messages)
        figures["server"] = asdict(server)
    return figures


def bench_baseline(heldout: Path, blind: Optional[Path], work: Path) -> Dict[str, object]:
    return _leg(["baseline", "--training", str(PROJECT_ROOT / "data" / "nlu"), *_test_files(heldout, blind)],
                work / "baseline.json")


def bench_stock(heldout: Path, blind: Optional[Path], work: Path, epochs: int) -> Dict[str, object]:
    from bot import bench_stock, bench_training

    config = bench_stock.write_stock_config(work / "stock", epochs)
    command = bench_training.rasa_train_command(work / "stock", "stock", config, nlu_only=True,
                                                nlu_data=PROJECT_ROOT / "data" / "nlu")
    run = bench_training.train(command, work / "stock")
    figures = {"training": {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
                            "peak_rss_mb": run.peak_rss_mb, "what": "rasa train nlu",
                            "epoch_seconds": run.epoch_seconds, "epochs": run.epochs}}
    figures.update(_leg(["rasa", "--model", str(run.model), "--crisis-from-intent", *_test_files(heldout, blind)],
                        work / "stock.json"))
    return figures


def run(model_path: Optional[Path], heldout: Path, out: Path, targets: Targets = Targets(),
        train: bool = True, blind: Optional[Path] = BLIND_FILE, stock_epochs: int = 0,
        server_messages: int = 1000) -> int:
    """Trains the pipeline from scratch and measures that model (`train`), or measures `model_path`."""
    from bot.bench_report import comparison_markdown

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    figures: Dict[str, object] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                  "load_average_before": round(os.getloadavg()[0], 1)}
    stock = None
    if stock_epochs:  # the longest leg trains beside the others; CPU times are its own
        stock = ThreadPoolExecutor(max_workers=1).submit(bench_stock, heldout, blind, work, stock_epochs)
    figures["pipeline"] = bench_pipeline(None if train else model_path, heldout, blind, work, server_messages)
    figures["baseline"] = bench_baseline(heldout, blind, work)
    if stock:
        figures["stock"] = stock.result()
    figures["load_average_after"] = round(os.getloadavg()[0], 1)
    problems = missed(pipeline_measures(figures["pipeline"]), targets)
    summary = comparison_markdown(figures, targets, problems)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    (out / "figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print(summary)
    print(f"Work files (models, logs) in {work}/")
    for problem in problems:
        print(f"target missed: {problem}")
    return 1 if problems else 0


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m bot.bench`: the options `make bench` leaves at their defaults (`make bench-compare`)."""
    import argparse

    from bot.bench_stock import epochs_for

    parser = argparse.ArgumentParser(prog="python -m bot.bench", description=__doc__)
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "tests" / "data" / "heldout_nlu.yml")
    parser.add_argument("--blind", type=Path, default=BLIND_FILE)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "bench")
    parser.add_argument("--model", type=Path, help="measure this model instead of training one from scratch")
    parser.add_argument("--stock-minutes", type=float, default=0.0,
                        help="also train Rasa's stock Chinese pipeline, as many epochs as fit in this long "
                             "at its usual 40 s an epoch (0: leave it out)")
    parser.add_argument("--stock-epochs", type=int, default=0, help="or this many epochs (a busy machine)")
    parser.add_argument("--server-messages", type=int, default=1000, help="messages to the live server (0: none)")
    args = parser.parse_args(argv)
    return run(args.model, args.data, args.out, train=args.model is None, blind=args.blind,
               stock_epochs=args.stock_epochs or (epochs_for(args.stock_minutes * 60) if args.stock_minutes else 0),
               server_messages=args.server_messages)


if __name__ == "__main__":
    raise SystemExit(main())
