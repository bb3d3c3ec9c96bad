"""The REST channel (`POST /webhooks/rest/webhook`), with the checks Rasa's own leaves out.

credentials.yml names it `connectors.rest_channel.RestInput:` in place of `rest:`; its
name is still "rest", so the URL and the `input_channel` in the tracker stay the same.
Before anything reaches Rasa:

- `sender` must be a well-formed conversation id (`assistant_contract.conversation_ids`),
  else 400 with a JSON error; a body that is not a JSON object, or a `message` that is
  not text, is a 400 too;
- a conversation another channel started (her Telegram chat, her WeChat openid, a web
  chat session) is not the REST channel's to write into: 403;
- text that Rasa would read as an intent only counts if it is a button the assistant
  offered in that conversation (`connectors.intent_gate`), else it is her words;
- `input_channel` and `metadata` from the body are ignored: they would let a caller
  pose as another channel or as the routing backend in the tracker.
"""
from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from assistant_contract import conversation_ids
from connectors.intent_gate import admitted_text, latest_input_channel

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
NOT_AN_OBJECT = "the body must be a JSON object with `sender` and `message`"
NOT_TEXT = "message must be text"
ANOTHER_CHANNEL = "this conversation belongs to another channel"


def sender_problem(sender: Any) -> Optional[str]:
    """Why `sender` cannot name a conversation (a sentence for the client), or None when it can."""
    problem = conversation_ids.problem(sender)
    return f"sender {problem}" if problem else None


def _read(request: Request) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """(sender and message, None) or (None, why the request is refused)."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None, NOT_AN_OBJECT
    if not isinstance(body, dict):
        return None, NOT_AN_OBJECT
    problem = sender_problem(body.get("sender"))
    if problem:
        return None, problem
    message = body.get("message", "")
    if not isinstance(message, str):
        return None, NOT_TEXT
    return {"sender": body["sender"], "message": message}, None


class RestInput(RasaRestInput):
    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        rest_webhook = Blueprint(f"project_rest_webhook_{id(self)}", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            return await self.receive(request, on_new_message)

        return rest_webhook

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> Union[ResponseStream, HTTPResponse]:
        """400 malformed, 403 another channel's conversation, else the assistant's answers."""
        fields, problem = _read(request)
        if fields is None:
            logger.info("REST message refused (400): %s", problem)
            return response.json({"error": problem}, status=400)
        sender = fields["sender"]
        agent = getattr(request.app.ctx, "agent", None)
        owner = await latest_input_channel(agent, sender)
        if owner not in (None, self.name()):
            logger.warning("REST message for a %s conversation refused (403)", owner)
            return response.json({"error": ANOTHER_CHANNEL}, status=403)
        text = await admitted_text(agent, sender, fields["message"])

        if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
            return response.stream(self.stream_response(on_new_message, text, sender, self.name(), None),
                                   content_type="text/event-stream")
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name()))
        except CancelledError:
            logger.error("REST message from %s timed out", sender)
        except Exception:  # noqa: BLE001 - as Rasa's own channel: answer with what was collected
            logger.exception("The assistant failed on a REST message from %s", sender)
        return response.json(collector.messages)
