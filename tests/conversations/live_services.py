"""The real servers a conversation run talks to, and the few questions it asks them.

Rasa and the action server start as subprocesses (tests.live_assistant, with this
run's own tokens) next to a fresh routing backend on SQLite (tests.routing_process)
that has one expert per department and a supervisor, so that what reaches a
handoff can be read the way staff read it.
"""
from __future__ import annotations

import sqlite3
import time
import urllib.error
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from tests.live_assistant import LiveAssistant, json_call, tracker
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, a_password, free_port

# username, department, specialty, title: the departments of routing/data/organisations.yml
EXPERTS = (("lawyer", "rights", "法律", "律师"), ("counsellor", "care", "心理", "心理咨询师"),
           ("educator", "family", "教育", "家庭教育指导师"), ("mentor", "development", "创业", "创业导师"))
SUPERVISOR = "supervisor"
REPLY_TIMEOUT = 120  # seconds: a 4,000-character message on a busy 2-core machine


class LiveServices:
    """Start with `start()`, always `stop()`; `workdir` keeps the logs and databases."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.outbox_path = self.workdir / "handoff_requests.db"
        self.assistant = LiveAssistant(self.workdir, {"ASSISTANT_HANDOFF_DB": str(self.outbox_path)})
        self.routing = RoutingProcess(self.workdir, free_port(), rasa_url=self.assistant.rasa_url,
                                      rasa_token=self.assistant.api_token)
        self._password = a_password()
        self._tokens: Dict[str, str] = {}

    def start(self) -> "LiveServices":
        self.routing.prepare_with_lawyer(self._password)
        for username, department, specialty, title in EXPERTS[1:]:
            self.routing.run_command("create-user", "--username", username, "--password", self._password,
                                     "--role", "expert", "--department", department, "--specialty", specialty,
                                     "--title", title)
        self.routing.run_command("create-user", "--username", SUPERVISOR, "--password", self._password,
                                 "--role", "supervisor", "--title", "值班主管")
        self.routing.start()
        self.assistant.env.update(ROUTING_URL=self.routing.url, ROUTING_SERVICE_TOKEN=SERVICE_TOKEN)
        try:
            self.assistant.start()
        except Exception:
            self.routing.stop()
            raise
        return self

    def stop(self) -> None:
        self.routing.stop()
        self.assistant.stop()

    def say(self, conversation_id: str, text: str) -> Tuple[List[Dict[str, Any]], float, str]:
        """(replies, seconds, error): her message through the REST channel, as a phone client sends it."""
        started = time.perf_counter()
        try:
            replies = json_call("POST", f"{self.assistant.rasa_url}/webhooks/rest/webhook",
                                {"sender": conversation_id, "message": text}, timeout=REPLY_TIMEOUT)
            return list(replies or []), time.perf_counter() - started, ""
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", errors="replace")[:300]
            return [], time.perf_counter() - started, f"HTTP {error.code}: {body}"
        except OSError as error:
            return [], time.perf_counter() - started, f"{type(error).__name__}: {error}"

    def events(self, conversation_id: str) -> List[Dict[str, Any]]:
        return list(tracker(self.assistant.rasa_url, conversation_id).get("events") or [])

    def handoff(self, conversation_id: str) -> Optional[Dict[str, Any]]:
        """Her latest handoff as the action server's service token sees it; while the backend has
        not taken it, the request waiting in the local outbox. A backend that cannot answer gives
        {"source": "error"}, which no handoff check accepts."""
        try:
            status = json_call("GET", f"{self.routing.url}/api/v1/conversations/{quote(conversation_id, safe='')}"
                                      "/status", token=SERVICE_TOKEN)
            status["source"] = "routing"
        except urllib.error.HTTPError as error:
            if error.code != 404:
                return {"source": "error", "status": f"HTTP {error.code}"}
            status = None
        except OSError as error:
            return {"source": "error", "status": type(error).__name__}
        if status is None or status.get("status") in ("resolved", "returned"):
            return self._waiting_in_outbox(conversation_id) or status
        return status

    def _waiting_in_outbox(self, conversation_id: str) -> Optional[Dict[str, Any]]:
        if not self.outbox_path.exists():
            return None
        connection = sqlite3.connect(f"file:{self.outbox_path}?mode=ro", uri=True, timeout=5)
        try:
            row = connection.execute(
                "SELECT id, status, urgent, category FROM handoff_requests WHERE conversation_id = ?"
                " AND delivered_as IS NULL AND refused_status IS NULL ORDER BY created_at DESC LIMIT 1",
                (conversation_id,)).fetchone()
        except sqlite3.OperationalError:  # the action server has not created its tables yet
            return None
        finally:
            connection.close()
        if row is None:
            return None
        return {"id": row[0], "status": row[1], "urgent": bool(row[2]), "category": row[3],
                "department": None, "source": "outbox"}

    def _token(self, username: str) -> str:
        if username not in self._tokens:
            self._tokens[username] = json_call("POST", f"{self.routing.url}/api/v1/auth/token",
                                               {"username": username, "password": self._password})["access_token"]
        return self._tokens[username]

    def her_messages(self, conversation_id: str) -> Tuple[str, Optional[List[str]]]:
        """(who read them, her messages on her handoffs) as the expert of the handoff's department
        reads them; the supervisor when no expert may (a handoff with no department)."""
        for username in [e[0] for e in EXPERTS] + [SUPERVISOR]:
            try:
                transcript = json_call("GET", f"{self.routing.url}/api/v1/conversations/"
                                              f"{quote(conversation_id, safe='')}/transcript",
                                       token=self._token(username))
            except urllib.error.HTTPError as error:
                if error.code in (403, 404):
                    continue
                return f"nobody: the transcript API answered HTTP {error.code}", None
            except OSError as error:
                return f"nobody: {type(error).__name__}", None
            texts = [m.get("text", "") for h in transcript.get("handoffs") or []
                     for m in h.get("messages") or [] if m.get("sender") == "user"]
            role = "supervisor (no expert may read this handoff)" if username == SUPERVISOR else f"expert {username}"
            return role, texts
        return "nobody (no expert or supervisor may read it)", None
