"""`python -m bot`: command-line entry points (triage, eval)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from bot.settings import Settings
from bot.taxonomy import load_taxonomy


def _progress(iterable, total=None, description="messages"):
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit=" msg", desc=description, file=sys.stderr,
                mininterval=0.5)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def run_triage(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlu_model import RasaModelParser
    from bot.triage import Triage, read_inputs

    triage = Triage(RasaModelParser(args.model or settings.model_path), load_taxonomy())
    if args.file and args.file != "-":
        path = Path(args.file)
        source, total = path.open(encoding="utf-8", errors="replace"), _count_lines(path)
    else:
        source, total = sys.stdin, None
    with source:
        for item in _progress(read_inputs(source), total=total):
            sys.stdout.write(triage.classify(item).to_json() + "\n")
            sys.stdout.flush()
    return 0


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation import load_examples, predict, score, summary_markdown, write_report
    from bot.nlu_model import RasaModelParser

    examples = load_examples(Path(args.data))
    parser = RasaModelParser(args.model or settings.model_path)
    predictions = predict(parser, examples, progress=lambda items: _progress(items, len(items)))
    figures = score(predictions, load_taxonomy())
    write_report(predictions, figures, Path(args.out))
    print(summary_markdown(figures))
    print(f"Report written to {args.out}/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    triage = commands.add_parser("triage", help="classify messages, one JSON line each")
    triage.add_argument("file", nargs="?", help="input file (default: standard input)")
    triage.add_argument("--model", type=Path, help="trained model (default: ASSISTANT_MODEL)")
    triage.set_defaults(handler=run_triage)

    evaluate = commands.add_parser("eval", help="evaluate on the held-out messages")
    evaluate.add_argument("--data", default="tests/data/heldout_nlu.yml")
    evaluate.add_argument("--out", default="reports/nlu")
    evaluate.add_argument("--model", type=Path)
    evaluate.set_defaults(handler=run_eval)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args, Settings.from_env())
