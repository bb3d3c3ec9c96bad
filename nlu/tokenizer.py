"""Jieba tokenizer that never emits whitespace tokens.

Rasa's JiebaTokenizer keeps every space jieba returns as a token; the
normaliser removes most spaces, this removes the rest (between Latin words).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class ChineseJiebaTokenizer(JiebaTokenizer):
    """JiebaTokenizer with the domain user dictionary and no blank tokens."""

    # jieba's dictionary is process-global: load each distinct file once, even
    # though Rasa calls create()/load() with a fresh copy of the folder each time.
    _loaded_dictionaries: Set[str] = set()

    @staticmethod
    def _load_custom_dictionary(path: Text) -> None:
        import jieba

        for dictionary in sorted(Path(path).glob("*.txt")):
            digest = hashlib.sha256(dictionary.read_bytes()).hexdigest()
            if digest in ChineseJiebaTokenizer._loaded_dictionaries:
                continue
            jieba.load_userdict(str(dictionary))
            ChineseJiebaTokenizer._loaded_dictionaries.add(digest)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """Retrain when a dictionary file changes (Rasa's cache only sees the config)."""
        folder = config.get("dictionary_path")
        if not folder:
            return None
        digest = hashlib.sha256()
        for dictionary in sorted(Path(folder).glob("*.txt")):
            digest.update(dictionary.read_bytes())
        return digest.hexdigest()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        return [token for token in tokens if token.text.strip()]
