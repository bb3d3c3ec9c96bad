"""Helpers to build graph components the way Rasa does, without a whole model."""
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def build(component_class, tmp_path, **config):
    storage = LocalModelStorage(tmp_path)
    full_config = {**component_class.get_default_config(), **config}
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource(component_class.__name__)
    return component_class.create(full_config, storage, resource, context), storage, resource, full_config


def load(component_class, storage, resource, config):
    context = ExecutionContext(GraphSchema({}), "test")
    return component_class.load(config, storage, resource, context)


def training_data(pairs):
    return TrainingData([Message(data={"text": text, "intent": intent}) for text, intent in pairs])


def message(text, intent=None, ranking=None):
    data = {"text": text}
    if intent:
        data["intent"] = {"name": intent, "confidence": ranking[0]["confidence"] if ranking else 1.0}
        data["intent_ranking"] = ranking or [data["intent"]]
    return Message(data=data)
