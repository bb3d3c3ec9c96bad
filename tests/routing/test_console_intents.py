"""Intent labels, categories and the intents a correction may name, from the contract's taxonomy."""
from pathlib import Path

import assistant_contract
from routing.console import intents
from tests.routing.catalogue_reads import files_read

PACKAGE = Path(assistant_contract.__file__).resolve().parent


def test_only_intents_that_a_woman_can_type_are_offered():
    names = intents.correctable_intents()
    assert "legal_divorce" in names and "greet" in names and "crisis_self_harm" in names
    assert "expert_reply" not in names and "choose_area" not in names and "share_location" not in names


def test_labels_and_categories_come_from_the_taxonomy():
    assert intents.category_of("legal_divorce") == "legal" and intents.category_of("greet") is None
    assert intents.category_of(None) is None and intents.category_of("not_an_intent") is None
    assert intents.title_of("not_an_intent") == "not_an_intent"
    assert intents.title_of("legal_divorce") and intents.title_of("legal_divorce") != "legal_divorce"


def test_the_taxonomy_is_read_from_the_installed_package_whatever_the_current_directory(monkeypatch, tmp_path):
    opened = files_read(monkeypatch, tmp_path, intents.correctable_intents, [intents.taxonomy])
    assert opened == [PACKAGE / "catalogue" / "taxonomy.yml"]
