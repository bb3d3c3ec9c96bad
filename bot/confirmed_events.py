"""Every event in the archive before it counts as saved, in the scaled deployment.

Rasa 3.6's SQL tracker store streams a turn's new events to the event broker and then
commits them (rasa/core/tracker_store.py, `SQLTrackerStore.save`), but its RabbitMQ broker
only schedules each publish as a background task (rasa/core/brokers/pika.py,
`PikaEventBroker.publish`). A Rasa server killed in between has saved events that exist
nowhere else: the routing backend's archive never gets them (the fault test saw 25–59 such
events per kill). Here the tracker store waits, event by event and in order, until RabbitMQ
confirms each one (the channel has publisher confirms), and only then commits. A server killed
after the confirmation and before the commit leaves events in the archive that the tracker
does not have, never the other way round; a retried message is a new event with its own
timestamp, and the archive keeps each event once by its fingerprint (routing/archive/).

When RabbitMQ does not confirm within `CONFIRM_SECONDS` (it is down or restarting), the turn
does not fail: the event goes Rasa's own way (in the background, kept and sent again on
reconnect), and it can then be lost only if this server also dies before RabbitMQ is back.

deploy/endpoints.scale.yml names both classes (`type: bot.confirmed_events.…`). Rasa falls
back to an in-memory tracker store, with only a warning, when a custom class does not
import: tests/bot/test_confirmed_events.py loads that file to make sure it does.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.shared.core.events import Event

from bot.turn_events import TurnSQLTrackerStore, event_bodies

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 5.0


class ConfirmingPikaEventBroker(PikaEventBroker):
    """Rasa's RabbitMQ broker with one more way to publish: wait for RabbitMQ's confirmation."""

    async def publish_confirmed(self, event: Dict[Text, Any], timeout: float = CONFIRM_SECONDS) -> bool:
        """True once RabbitMQ has confirmed the event; False when it could not (nothing raised)."""
        if self._exchange is None:
            return False
        try:
            await asyncio.wait_for(self._exchange.publish(self._message(event, None), ""), timeout)
            return True
        except Exception as error:  # noqa: BLE001 - the caller falls back to Rasa's background publish
            log.warning("event not confirmed by RabbitMQ (%s): publishing it in the background", error)
            return False


class ConfirmedSQLTrackerStore(TurnSQLTrackerStore):
    """The SQL tracker store, publishing a turn's events with confirmation before it commits them."""

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event], sender_id: Text) -> None:
        confirm = getattr(event_broker, "publish_confirmed", None)
        for body in event_bodies(sender_id, new_events):
            confirmed: Optional[bool] = await confirm(body) if confirm is not None else None
            if not confirmed:
                event_broker.publish(body)
