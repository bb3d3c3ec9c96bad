"""The bare reference assistant: the project's intents, Rasa's stock Chinese pipeline, responses only.

Generated from domain.yml (every intent name, one `utter_<intent>` response each, a rule
intent → response) and data/nlu/*.yml (every example of those intents), with the stock
pipeline of `make bench-compare` (bot/bench_stock.py) and RulePolicy as its only policy:
no custom component, no action server, no tracker store but Rasa's in-memory default.
It is trained once; the model's name carries a hash of everything it is trained from,
so a second run with the same inputs finds it and skips the training.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

import yaml

from bot.bench_stock import stock_config

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BARE_EPOCHS = 5  # DIET's default transformer takes 40 s (idle) to 5 min (loaded) per epoch here
RASA_FORMAT = "3.1"
PARTIAL = "partial-"  # a prefix: Rasa takes what follows a dot in --fixed-model-name for a suffix


def domain_intents(domain: Mapping) -> List[str]:
    return [item if isinstance(item, str) else next(iter(item)) for item in domain.get("intents") or []]


def response_text(intent: str, titles: Mapping[str, str]) -> str:
    title = titles.get(intent)
    return f"你好，关于「{title}」，我们为你准备了说明和可以求助的地方。" if title else "收到你的消息，我们来帮你看看。"


def bare_domain(intents: Sequence[str], titles: Mapping[str, str]) -> Dict:
    return {"version": RASA_FORMAT, "intents": list(intents),
            "responses": {f"utter_{intent}": [{"text": response_text(intent, titles)}] for intent in intents},
            "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}}


def bare_rules(intents: Sequence[str]) -> Dict:
    return {"version": RASA_FORMAT, "rules": [
        {"rule": f"{intent} gets its response", "steps": [{"intent": intent}, {"action": f"utter_{intent}"}]}
        for intent in intents]}


def examples_by_intent(nlu_documents: Iterable[Mapping], intents: Sequence[str]) -> Dict[str, List[str]]:
    """Every example of the domain's intents, in file order, each once."""
    wanted = set(intents)
    found: Dict[str, List[str]] = {}
    for document in nlu_documents:
        for item in document.get("nlu") or []:
            if item.get("intent") not in wanted:
                continue
            texts = found.setdefault(item["intent"], [])
            for line in str(item.get("examples") or "").splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if text and text not in texts:
                    texts.append(text)
    return found


def nlu_yaml(examples: Mapping[str, Sequence[str]]) -> str:
    """Rasa's training-data format: a literal block of examples per intent (PyYAML cannot write one)."""
    lines = [f'version: "{RASA_FORMAT}"', "nlu:"]
    for intent, texts in examples.items():
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def bare_config(epochs: int) -> Dict:
    config = stock_config(epochs)
    config["policies"] = [{"name": "RulePolicy"}]  # an empty list would make Rasa add TEDPolicy and friends
    return config


@dataclass(frozen=True)
class BareProject:
    folder: Path
    config: Path
    domain: Path
    data: Path  # folder with nlu.yml and rules.yml
    fingerprint: str

    @property
    def model(self) -> Path:
        return self.folder / "models" / f"bare-{self.fingerprint}.tar.gz"


def _read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _dump(value: Dict) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def write_project(folder: Path, epochs: int = BARE_EPOCHS, root: Path = PROJECT_ROOT,
                  rasa_version: Optional[str] = None) -> BareProject:
    """Writes config.yml, domain.yml and data/ into `folder` from the project's files."""
    domain = _read(root / "domain.yml")
    taxonomy = _read(root / "contract/assistant_contract/catalogue/taxonomy.yml")
    titles = {name: entry["title"] for name, entry in (taxonomy.get("intents") or {}).items() if entry.get("title")}
    intents = domain_intents(domain)
    documents = [_read(path) for path in sorted((root / "data/nlu").glob("*.yml"))]
    texts = {"config.yml": _dump(bare_config(epochs)), "domain.yml": _dump(bare_domain(intents, titles)),
             "data/nlu.yml": nlu_yaml(examples_by_intent(documents, intents)), "data/rules.yml": _dump(bare_rules(intents))}
    if rasa_version is None:
        import rasa

        rasa_version = rasa.__version__
    digest = hashlib.sha256(rasa_version.encode())
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8") + b"\0")
    for name, text in texts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return BareProject(folder=folder, config=folder / "config.yml", domain=folder / "domain.yml",
                       data=folder / "data", fingerprint=digest.hexdigest()[:16])


def train_command(project: BareProject, rasa_bin: Path) -> List[str]:
    """Rasa writes the archive under a partial name: a training cut short leaves no model to trust."""
    return [str(rasa_bin), "train", "--config", str(project.config), "--domain", str(project.domain),
            "--data", str(project.data), "--out", str(project.model.parent),
            "--fixed-model-name", PARTIAL + project.model.name[: -len(".tar.gz")]]


def ensure_model(project: BareProject, train=None) -> Optional[float]:
    """Trains the model unless this fingerprint's model exists; the training's seconds, or None when cached.
    The model gets its name only once the training has finished writing it."""
    if project.model.exists():
        return None
    from bot.bench_training import RASA_BIN, train as rasa_train

    partial = project.model.with_name(PARTIAL + project.model.name)
    partial.unlink(missing_ok=True)
    run = (train or rasa_train)(train_command(project, RASA_BIN), project.folder / "training")
    if not partial.exists():
        raise RuntimeError(f"training finished without {partial}")
    os.replace(partial, project.model)
    return run.seconds
