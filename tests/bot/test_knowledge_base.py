"""The knowledge as the assistant serves it: the strict load, the file-by-file reload, and lookups.
The schema and the catalogue's content are tested with the contract (tests/contract/catalogue/)."""
import pytest
import yaml

from assistant_contract.catalogue.knowledge import KnowledgeError
from bot.knowledge_base import KnowledgeBase
from tests.knowledge_fixture import CASES, FAQ, write_knowledge


def test_the_shipped_catalogue_loads_by_default():
    knowledge = KnowledgeBase.load()
    assert len(knowledge.faq) >= 60 and len(knowledge.cases) >= 40
    assert knowledge.faq_by_id("legal.dv.evidence").category == "legal"
    assert knowledge.case_by_id(knowledge.cases[0].id) == knowledge.cases[0]
    assert KnowledgeBase.reload() == knowledge  # what the running assistant serves, from the same folder


def test_the_strict_load_refuses_a_folder_with_any_problem(tmp_path):
    folder = write_knowledge(tmp_path, faq=[dict(FAQ[0], plain="很" * 90)] + FAQ[1:])
    with pytest.raises(KnowledgeError, match="plain"):
        KnowledgeBase.load(folder)


def test_a_reload_keeps_the_last_good_entries_of_a_file_that_fails(tmp_path):
    folder = write_knowledge(tmp_path)
    before = KnowledgeBase.reload(folder)
    assert [e.id for e in before.faq] == [e["id"] for e in FAQ] and [c.id for c in before.cases] == [
        c["id"] for c in CASES]
    (folder / "faq" / "all.yml").write_text(yaml.safe_dump({"faq": [dict(FAQ[0], answer="")]}), encoding="utf-8")
    assert KnowledgeBase.reload(folder, previous=before) == before
    assert KnowledgeBase.reload(folder).faq == ()  # with no good version, nothing to keep
