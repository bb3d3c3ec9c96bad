"""Write an event broker file with Rasa's own code, the way `rasa run` does: each step's
events go into the conversation's tracker, then the tracker store saves it, which
publishes the new events to Rasa's SQLEventBroker (TrackerStore.save → stream_events).

Runs in Rasa's virtualenv: `.venv/bin/python tests/routing/rasa_broker_writer.py FILE < steps.json`,
steps being [{"sender": …, "events": [event dicts as Event.as_dict() gives them]}, …].
"""
import asyncio
import json
import logging
import sys
import warnings

SLOTS = ("last_faq_id", "last_feedback")


async def write(path: str, steps: list) -> None:
    from rasa.core.brokers.sql import SQLEventBroker
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event

    domain = Domain.from_dict({"slots": {name: {"type": "any", "mappings": [{"type": "custom"}]} for name in SLOTS}})
    store = InMemoryTrackerStore(domain, event_broker=SQLEventBroker(dialect="sqlite", db=path))
    for step in steps:
        tracker = await store.get_or_create_tracker(step["sender"])
        for parameters in step["events"]:
            tracker.update(Event.from_parameters(parameters))
        await store.save(tracker)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    asyncio.run(write(sys.argv[1], json.load(sys.stdin)))
