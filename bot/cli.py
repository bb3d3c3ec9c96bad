"""`python -m bot`: command-line entry points (triage, eval).

The Telegram polling runner is `python -m connectors.telegram.polling`, not a command
here: bot/ never imports connectors/ (tests/connectors/test_dependencies.py).
"""
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
    from bot.knowledge_index import KnowledgeIndex
    from bot.nlu_model import RasaModelParser
    from bot.triage import Triage, read_inputs

    index = KnowledgeIndex()

    def answers(text, category):
        return [{"id": m.entry.id, "score": m.score} for m in index.search_faq(text, category)]

    triage = Triage(RasaModelParser(args.model or settings.model_path), load_taxonomy(), answers)
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
    write_report(predictions, figures, Path(args.out), args.title)
    print(summary_markdown(figures, args.title))
    print(f"Report written to {args.out}/")
    return 0


def run_retrieval_eval(args: argparse.Namespace, settings: Settings) -> int:
    import json
    import tempfile

    from bot import retrieval_eval as measure
    from bot.knowledge_base import KnowledgeBase
    from bot.knowledge_index import KnowledgeIndex
    from bot.retrieval import Bm25Retriever, ClassifierRetriever, HybridRetriever, TfidfRetriever

    questions = measure.load_questions(Path(args.questions))
    knowledge = KnowledgeBase.load()
    documents = [(e.id, e.questions) for e in knowledge.faq]
    bm25, tfidf = Bm25Retriever(documents), TfidfRetriever(documents)

    def ranking(retriever):
        return lambda text: [(h.id, h.score) for h in retriever.search(text, 3)]

    searchers = {
        "BM25 (jieba words + char bigrams)": ranking(bm25),
        "TF-IDF char 1-3, nearest question": ranking(tfidf),
        "hybrid 0.5 BM25 + 0.5 TF-IDF": ranking(HybridRetriever(bm25, tfidf, 0.5)),
        "char n-gram classifier over FAQ ids": ranking(ClassifierRetriever(documents)),
    }
    if not args.no_nlu:
        from bot.nlu_model import RasaModelParser

        parser = RasaModelParser(args.model or settings.model_path)
        searchers["0.7 classifier + 0.3 hybrid, intent's area weighted (kept)"] = (
            measure.area_aware_searcher(parser, KnowledgeIndex(), load_taxonomy())
        )
    if args.response_selector:
        from bot.response_selector_experiment import ResponseSelectorSearch, train, write_project

        folder = Path(tempfile.mkdtemp(prefix="selector-"))
        write_project(knowledge, folder)
        searchers["Rasa ResponseSelector (100 epochs)"] = ResponseSelectorSearch(train(folder))

    results = {}
    rows = ["| approach | hit@1 | hit@3 | highest unanswerable score | lowest safe threshold | answered there | of which right |",
            "|---|---|---|---|---|---|---|"]
    for name, search in searchers.items():
        figures = measure.measure(questions, measure.rank_all(search, _progress(questions, len(questions), name)))
        safe = measure.lowest_safe_threshold(figures)
        at_safe = next((r for r in figures["by_threshold"] if r["threshold"] == safe), None)
        rows.append(
            f"| {name} | {figures['hit@1']:.1%} | {figures['hit@3']:.1%} | {figures['highest_unanswerable_score']:.3f}"
            f" | {safe:.2f} | {at_safe['answered']:.1%} | {at_safe['answered_correctly']:.1%} |"
            if at_safe else f"| {name} | {figures['hit@1']:.1%} | {figures['hit@3']:.1%} | - | - | - | - |"
        )
        results[name] = figures
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table = "\n".join(rows) + "\n"
    (out / "comparison.md").write_text(
        f"Held-out questions: {len(questions)} ({sum(1 for q in questions if q.topic)} answerable)\n\n" + table,
        encoding="utf-8",
    )
    (out / "figures.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table)
    return 0


def run_sample_directory(args: argparse.Namespace, settings: Settings) -> int:
    from nlu.gazetteer import load_gazetteer
    from bot.sample_directory import write_sample

    count = write_sample(load_gazetteer(), Path(args.out))
    print(f"Wrote {count} sample offices to {args.out}.")
    return 0


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bench import run

    return run(args.model or settings.model_path, Path(args.data), Path(args.out))


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
    evaluate.add_argument("--title", default="Held-out messages", help="the report's heading")
    evaluate.add_argument("--model", type=Path)
    evaluate.set_defaults(handler=run_eval)

    retrieval = commands.add_parser("retrieval-eval", help="compare FAQ retrievers on held-out questions")
    retrieval.add_argument("--questions", default="tests/data/heldout_faq.yml")
    retrieval.add_argument("--out", default="reports/retrieval")
    retrieval.add_argument("--model", type=Path)
    retrieval.add_argument("--no-nlu", action="store_true", help="skip the approach that needs the model")
    retrieval.add_argument("--response-selector", action="store_true",
                           help="also train and measure Rasa's ResponseSelector (about 3 minutes)")
    retrieval.set_defaults(handler=run_retrieval_eval)

    sample = commands.add_parser("sample-directory", help="regenerate the sample office directory from the gazetteer")
    sample.add_argument("--out", default="routing/data/organisations.yml")
    sample.set_defaults(handler=run_sample_directory)

    bench = commands.add_parser("bench", help="NLU speed and memory against their targets (reports/bench/)")
    bench.add_argument("--data", default="tests/data/heldout_nlu.yml")
    bench.add_argument("--out", default="reports/bench")
    bench.add_argument("--model", type=Path)
    bench.set_defaults(handler=run_bench)

    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args, Settings.from_env())
