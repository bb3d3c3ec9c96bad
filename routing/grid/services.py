"""What the grid's API and console pages share per application: its settings, the
catalogue's taxonomy (for triage), and the triage worker. Built on first use and kept
on the application's state, so importing this module does nothing."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional

from assistant_contract.catalogue.taxonomy import Taxonomy
from sqlalchemy.orm import Session

from routing import sla_policy
from routing.grid.settings import GridSettings
from routing.grid.triage import Parser, RasaParser, TriageWorker
from routing.settings import Settings

_BUILD = threading.Lock()


@dataclass
class GridServices:
    settings: GridSettings
    routing_settings: Settings
    taxonomy: Taxonomy
    parser: Parser
    worker: Optional[TriageWorker] = None

    def handoff_hours(self, db: Session) -> tuple[int, int]:
        policy = sla_policy.current(db, self.routing_settings)
        return policy.normal_hours, policy.urgent_hours


def build(routing_settings: Settings, session_factory, parser: Optional[Parser] = None,
          settings: Optional[GridSettings] = None) -> GridServices:
    settings = settings or GridSettings()
    parser = parser or RasaParser(routing_settings.rasa_url, routing_settings.rasa_token or None,
                                  settings.triage_timeout_seconds)
    taxonomy = Taxonomy.from_file()
    services = GridServices(settings=settings, routing_settings=routing_settings, taxonomy=taxonomy, parser=parser)
    services.worker = TriageWorker(session_factory, parser, taxonomy, settings, services.handoff_hours)
    return services


def of_app(state, routing_settings: Settings, session_factory) -> GridServices:
    """The application's grid services (`app.state.grid`), built once; tests may set it first."""
    existing = getattr(state, "grid", None)
    if existing is None:
        with _BUILD:
            existing = getattr(state, "grid", None)
            if existing is None:
                existing = build(routing_settings, session_factory)
                state.grid = existing
    return existing
