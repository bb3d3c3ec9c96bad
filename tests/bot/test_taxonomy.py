"""The taxonomy as the assistant reads a parse, and the taxonomy against Rasa's domain.

The taxonomy is the one list of intents she can type: the routing console offers exactly
these for corrections. The taxonomy itself is tested with the contract
(tests/contract/catalogue/test_taxonomy.py)."""
import yaml

from assistant_contract.catalogue.taxonomy import Taxonomy as ContractTaxonomy
from bot.taxonomy import Taxonomy, load_taxonomy
from nlu.intent_decision import TEXT_RULE_INTENTS
from tests.conftest import PROJECT_ROOT

# In the domain, never typed: buttons' payloads, a shared location, and the intents the
# routing backend triggers. None has training examples (tests/test_training_data.py).
PAYLOAD_ONLY = {"choose_area", "choose_faq", "show_case", "feedback", "share_location", "expert_reply",
                "handoff_closed", "choose_course", "signup_activity", "cancel_signup", "quiz_start", "quiz_answer",
                "choose_local_service"}


def domain_intents():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [next(iter(item)) if isinstance(item, dict) else str(item) for item in domain["intents"]]


def test_every_taxonomy_intent_is_in_the_domain():
    assert set(load_taxonomy().intent_names) - set(domain_intents()) == set()


def test_every_domain_intent_she_can_type_is_in_the_taxonomy():
    """Except those decided from her text by a rule alone (nlu/intent_decision.py)."""
    assert set(domain_intents()) - set(load_taxonomy().intent_names) == PAYLOAD_ONLY | set(TEXT_RULE_INTENTS)


def test_the_assistant_reads_the_contracts_taxonomy():
    assert isinstance(load_taxonomy(), Taxonomy) and isinstance(load_taxonomy(), ContractTaxonomy)
    assert load_taxonomy().intent_names == ContractTaxonomy.from_file().intent_names


def test_an_ambiguous_fallback_inside_one_area_keeps_the_area():
    taxonomy = load_taxonomy()
    ranking = [{"name": "nlu_fallback"}, {"name": "legal_child_protection"}, {"name": "legal_domestic_violence"}]
    assert taxonomy.category_of_parse({"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking}) == "legal"
    mixed = [{"name": "nlu_fallback"}, {"name": "legal_divorce"}, {"name": "care_mental_health"}]
    assert taxonomy.category_of_parse({"intent": {"name": "nlu_fallback"}, "intent_ranking": mixed}) is None
    assert taxonomy.category_of_parse({"intent": {"name": "startup_finance"}}) == "entrepreneurship"
