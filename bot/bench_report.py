"""`make bench`'s figures as the Markdown of reports/bench/summary.md."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

CONTESTANTS = [
    ("pipeline", "this project's pipeline"),
    ("stock", "Rasa stock Chinese pipeline"),
    ("baseline", "char 1–3 TF-IDF + logistic regression"),
]


def _share(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.1%}"


def _seconds(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.0f} s"


def _training(row: Dict[str, Any]) -> str:
    training = row.get("training")
    if training:
        text = f"{_seconds(training['seconds'])} ({training['what']}; CPU {_seconds(training.get('cpu_seconds'))})"
        if training.get("epoch_seconds"):
            text += f"; DIET {training['epochs']} epochs, {training['epoch_seconds']:.1f} s/epoch"
        return text
    return _seconds(row.get("training_seconds"))


def _accuracy_cells(row: Dict[str, Any], test: str) -> List[str]:
    figures = (row.get("accuracy") or {}).get(test)
    if not figures:
        return ["–"] * 4
    return [_share(figures["category_accuracy"]), _share(figures["intent_accuracy"]),
            _share(figures["crisis_recall"]), _share(figures["false_alarm_rate"])]


def comparison_table(figures: Dict[str, Any]) -> List[str]:
    lines = ["| | held-out category | held-out intent | held-out crisis recall | held-out false alarms "
             "| blind category | blind intent | blind crisis recall | blind false alarms "
             "| training | training peak memory | p95 per message | in-process peak memory |",
             "|---|" + "---|" * 12]
    for key, title in CONTESTANTS:
        row = figures.get(key)
        if not row:
            continue
        training_memory = (row.get("training") or {}).get("peak_rss_mb")
        cells = [title, *_accuracy_cells(row, "heldout"), *_accuracy_cells(row, "blind"), _training(row),
                 "–" if training_memory is None else f"{training_memory:.0f} MB",
                 f"{row['speed']['p95_ms']} ms (CPU {row['speed'].get('p95_cpu_ms', '–')} ms)",
                 f"{row['peak_rss_mb']:.0f} MB"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def targets_table(measures: Dict[str, float], limits: Dict[str, float]) -> List[str]:
    titles = {"training_cpu_seconds": "training from scratch, CPU time (s)", "load_seconds": "model load (s)",
              "p95_cpu_ms": "p95 per message, CPU time (ms)", "max_ms": "slowest message (ms)",
              "peak_rss_mb": "in-process NLU, peak memory (MB)",
              "server_rss_mb": "live `rasa run` after the messages, resident memory (MB)"}
    lines = ["| measure | value | target | met |", "|---|---|---|---|"]
    for name, limit in limits.items():
        if name in measures:
            lines.append(f"| {titles[name]} | {measures[name]} | ≤ {limit} | {'yes' if measures[name] <= limit else 'NO'} |")
    return lines


def comparison_markdown(figures: Dict[str, Any], targets, problems: List[str]) -> str:
    from bot.bench import pipeline_measures

    pipeline = figures["pipeline"]
    lines = [f"# make bench, {figures['date']}", "",
             "All contestants trained on data/nlu; accuracy on tests/data/heldout_nlu.yml and the blind "
             "file (totals only). The baseline and the stock pipeline have no crisis detector: their "
             "crisis verdict is a crisis intent.", ""]
    lines += comparison_table(figures)
    lines += ["", "## This project's pipeline against its targets", ""]
    lines += targets_table(pipeline_measures(pipeline), targets.limits())
    speed = pipeline["speed"]
    lines += ["", f"Wall-clock times, with a load average of {figures.get('load_average_before')} before and "
              f"{figures.get('load_average_after')} after on two cores: "
              + (f"training {_seconds(pipeline['training']['seconds'])}, " if pipeline.get("training") else "")
              + f"p95 per message {speed['p95_ms']} ms, median {speed['median_ms']} ms, "
              f"{speed['per_second']} messages per second in one process ({speed['messages']} messages: "
              "the held-out set and hard cases)."]
    server = pipeline.get("server")
    if server:
        lines += [f"Live server: {server['after_load']['rss_mb']:.0f} MB after loading, "
                  f"{server['after_messages']['rss_mb']:.0f} MB (peak {server['after_messages']['peak_rss_mb']:.0f} MB) "
                  f"after {server['messages']} REST messages in {server['seconds']} s "
                  f"({server['failed']} failed)."]
    blind = (pipeline.get("accuracy") or {}).get("blind") or {}
    if blind.get("writers"):
        lines += ["", "Blind category accuracy of the pipeline by kind of writer:", "",
                  "| writer | messages | category | intent |", "|---|---|---|---|"]
        lines += [f"| {name} | {row['messages']} | {_share(row['category_accuracy'])} | "
                  f"{_share(row['intent_accuracy'])} |" for name, row in blind["writers"].items()]
    lines += [""] + [f"Target missed: {problem}" for problem in problems]
    return "\n".join(lines).rstrip() + "\n"
