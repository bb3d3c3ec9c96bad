"""The catalogue both services read: the intent taxonomy, the FAQ answers and the case
library, shipped as data files of this package, with their readers and schema checks.

Authors edit the files in this folder: `faq/<area>.yml` (the answers, one per topic of
`topics.yml`), `cases/<area>.yml` (the case library) and `taxonomy.yml` (every intent
she can type). `make install` installs the package in editable mode, so these are the
checkout's files: the assistant's live reload sees an edit as soon as it is saved.
"""
from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent  # holds faq/ and cases/
TAXONOMY_FILE = FOLDER / "taxonomy.yml"
TOPICS_FILE = FOLDER / "topics.yml"  # the topics every FAQ answer is written against
