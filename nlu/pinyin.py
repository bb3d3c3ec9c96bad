"""Reads a message typed in toneless pinyin as Chinese characters.

Some women type pinyin without tones ("lihun hou haizi fuyangquan gui shui",
"jiuming ta zai da wo"): no Chinese keyboard, an old phone, or hiding what she
writes. The classifier and the crisis lexicon know characters only, so a message
that is mostly pinyin is read back as characters: each run of pinyin words is
split into syllables (a space ends a syllable, but a word may hold several:
"fuyangquan"), and the characters are chosen by a character bigram model
learned from the training messages (Viterbi), so that "lao gong da wo" reads
老公打我 and not 老公大我. Characters the training messages never use come from
jieba's dictionary, by frequency.

`learn` needs pypinyin and jieba (training time only); a reader is saved and
loaded as plain data.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

LONGEST_SYLLABLE = 6  # zhuang, chuang, shuang
DICTIONARY_CHARACTERS = 6  # most frequent jieba characters added per syllable
DICTIONARY_WEIGHT = 0.5  # jieba's share of the unigram counts, against the training messages'
BIGRAM_WEIGHT = 0.85  # interpolation of the bigram against the unigram
BEAM = 16  # likeliest readings kept at each letter: a long message is read in linear time
CANDIDATES = 30  # commonest characters tried per syllable
SMALLEST_SHARE = 0.75  # of her Latin words that must be pinyin for the message to be read
START = "^"  # the character before the first one of a run
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_UMLAUTS = str.maketrans("üǖǘǚǜ", "vvvvv")
_ALIASES = {"lue": "lve", "nue": "nve"}  # what people type for 略 and 虐


def toneless(reading: str) -> str:
    """'nǚ' → 'nv', 'lüè' → 'lve': pinyin as typed on a Latin keyboard."""
    reading = unicodedata.normalize("NFC", reading).lower().translate(_UMLAUTS)
    return "".join(c for c in unicodedata.normalize("NFD", reading) if unicodedata.category(c) != "Mn")


class PinyinReader:
    """Syllables, their candidate characters and the bigram counts that choose among them."""

    def __init__(self, characters: Dict[str, List[str]], unigrams: Dict[str, float], bigrams: Dict[str, int]) -> None:
        self.characters = characters  # syllable → candidate characters, most frequent first
        self.unigrams = unigrams
        self.bigrams = bigrams  # "ab": how often b followed a (START + a: a began a run)
        self.syllables: FrozenSet[str] = frozenset(characters) | frozenset(_ALIASES)
        self._total = sum(unigrams.values()) or 1.0
        self._starts = sum(n for k, n in bigrams.items() if k.startswith(START)) or 1.0

    # ---- building -------------------------------------------------------------
    @classmethod
    def learn(cls, texts: Iterable[str]) -> "PinyinReader":
        """Learn from (normalised) Chinese messages; characters outside them come from jieba."""
        from pypinyin import Style, lazy_pinyin  # lazy: training time only

        unigrams: Counter = Counter()
        bigrams: Counter = Counter()
        readings: Dict[str, Counter] = {}
        for text in texts:
            for run in _CJK_RUNS.findall(text or ""):
                syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
                if len(syllables) != len(run):
                    continue
                previous = START
                for character, syllable in zip(run, syllables):
                    readings.setdefault(syllable, Counter())[character] += 1
                    unigrams[character] += 1
                    bigrams[previous + character] += 1
                    previous = character
        total = sum(unigrams.values()) or 1
        for character, syllable, share in _dictionary_characters():
            readings.setdefault(syllable, Counter())[character] += 0  # a candidate, seen or not
            unigrams[character] += DICTIONARY_WEIGHT * total * share
        characters = {
            syllable: [c for c, _ in sorted(found.items(), key=lambda item: -unigrams[item[0]])]
            for syllable, found in readings.items()
            if re.search("[aeiouv]", syllable)  # not the bare m, n, ng of interjections
        }
        return cls(characters, dict(unigrams), dict(bigrams))

    def to_dict(self) -> Dict[str, object]:
        return {"characters": self.characters, "unigrams": self.unigrams, "bigrams": self.bigrams}

    @classmethod
    def from_dict(cls, data: Dict[str, object]) -> "PinyinReader":
        return cls(dict(data["characters"]), dict(data["unigrams"]), dict(data["bigrams"]))

    # ---- reading ----------------------------------------------------------------
    def split(self, word: str) -> Optional[List[str]]:
        """One way to split a Latin word into syllables (the fewest), or None."""
        best: List[Optional[List[str]]] = [[]] + [None] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - LONGEST_SYLLABLE), end):
                if best[start] is not None and word[start:end] in self.syllables:
                    candidate = best[start] + [word[start:end]]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        return best[len(word)]

    def is_pinyin(self, text: str) -> bool:
        """Most of her Latin words are pinyin, and there are at least two syllables."""
        words = _LATIN_WORD.findall((text or "").lower())
        if not words or text.lstrip().startswith("/"):
            return False
        splits = [self.split(w.replace("'", "")) for w in words]
        pinyin = [found for found in splits if found]
        return len(pinyin) / len(words) >= SMALLEST_SHARE and sum(map(len, pinyin)) >= 2

    def read(self, text: str) -> str:
        """The text with every run of pinyin words read as characters; the rest as it was.
        A run is pinyin words with nothing but spaces between them."""
        pieces: List[str] = []
        run: List[str] = []
        for piece in _PIECES.findall(text):
            word = piece.lower()
            if _LATIN_WORD.fullmatch(word) and self.split(word.replace("'", "")):
                run.append(word)
            elif run and piece.isspace():
                continue
            else:
                if run:
                    pieces.append(self._characters(run, _last_character(pieces)))
                    run = []
                pieces.append(piece)
        if run:
            pieces.append(self._characters(run, _last_character(pieces)))
        return "".join(pieces)

    def _characters(self, words: List[str], before: str = START) -> str:
        """Viterbi over syllable splits and characters: the likeliest characters for the words,
        after the character `before` them (START when none)."""
        parts = [part for word in words for part in word.split("'")]
        letters = "".join(parts)
        word_end = []  # where the word around each letter ends: a syllable never crosses a space or an apostrophe
        for part in parts:
            word_end += [len(word_end) + len(part)] * len(part)
        # best[position][last character] = (score, characters so far)
        best: List[Dict[str, Tuple[float, str]]] = [dict() for _ in range(len(letters) + 1)]
        best[0][before if before in self.unigrams else START] = (0.0, "")
        for start in range(len(letters)):
            if not best[start]:
                continue
            if len(best[start]) > BEAM:
                best[start] = dict(sorted(best[start].items(), key=lambda item: -item[1][0])[:BEAM])
            for end in range(start + 1, min(word_end[start], start + LONGEST_SYLLABLE) + 1):
                syllable = _ALIASES.get(letters[start:end], letters[start:end])
                for character in self.characters.get(syllable, ())[:CANDIDATES]:
                    for previous, (score, chosen) in best[start].items():
                        total = score + self._log_probability(previous, character)
                        if character not in best[end] or total > best[end][character][0]:
                            best[end][character] = (total, chosen + character)
        if not best[len(letters)]:
            return " ".join(words)
        return max(best[len(letters)].values())[1]

    def _log_probability(self, previous: str, character: str) -> float:
        unigram = self.unigrams.get(character, 0.0) / self._total
        seen = self.unigrams.get(previous, 0.0) if previous != START else self._starts
        bigram = self.bigrams.get(previous + character, 0) / seen if seen else 0.0
        return math.log(BIGRAM_WEIGHT * bigram + (1 - BIGRAM_WEIGHT) * unigram + 1e-12)


_CJK_RUNS = re.compile(r"[\u3400-\u9fff]+")
_PIECES = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*|\s+|[^A-Za-z\s]+")


def _last_character(pieces: List[str]) -> str:
    """The Chinese character right before a run (spaces skipped), or START."""
    before = "".join(pieces).rstrip()
    return before[-1] if before and _CJK.match(before[-1]) else START


def _dictionary_characters() -> Iterable[Tuple[str, str, float]]:
    """(character, syllable, share of jieba's counts) for the most frequent characters of each syllable."""
    import jieba
    from pypinyin import Style, pinyin

    jieba.dt.initialize()
    frequencies = {w: n for w, n in jieba.dt.FREQ.items() if len(w) == 1 and n > 0 and _CJK.match(w)}
    total = sum(frequencies.values()) or 1
    by_syllable: Dict[str, List[Tuple[int, str]]] = {}
    for character, count in frequencies.items():
        for reading in pinyin(character, style=Style.NORMAL, heteronym=True)[0]:
            by_syllable.setdefault(toneless(reading), []).append((count, character))
    for syllable, found in by_syllable.items():
        for count, character in sorted(found, reverse=True)[:DICTIONARY_CHARACTERS]:
            yield character, syllable, count / total

