"""One more try for a custom action whose call was lost with its action server.

With two action servers behind nginx (the scaled deployment), an action server killed while it
handles a call leaves Rasa with a 502: nginx never replays a POST its upstream received
(deploy/nginx.conf.template). Rasa 3.6 then drops the action, and her message gets no reply at
all (found by `make test-faults`: 「谢谢你」 answered with nothing when actions-1 was killed). Here
such a call is made once more through the same endpoint, which nginx now sends to the other
server. Only a lost call is tried again (502, 503, 504 from the proxy, or the connection itself
failing); a refusal or an error of the action is not.

Running an action twice for one message is safe enough: the answering and request actions look
up her open request before opening one; a crisis reply run twice may open a second urgent
request, which is far better than no reply to danger.
"""
from __future__ import annotations

import logging
from typing import Any, List, Optional

import aiohttp

logger = logging.getLogger(__name__)

LOST_STATUSES = (502, 503, 504)
MARK = "_tries_a_lost_call_again"


def lost_with_its_server(error: BaseException) -> bool:
    """Whether Rasa's failure of a custom action is a call lost on its way (worth one more try)."""
    from rasa.utils.endpoints import ClientResponseError  # Rasa's own, not aiohttp's

    cause: Optional[BaseException] = error.__cause__ or error.__context__
    if isinstance(cause, (ClientResponseError, aiohttp.ClientResponseError)):
        return cause.status in LOST_STATUSES
    return isinstance(cause, aiohttp.ClientConnectionError)


def install() -> bool:
    """Wrap `RemoteAction.run` once; False if it was wrapped already."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.exceptions import RasaException

    if getattr(RemoteAction.run, MARK, False):
        return False
    first_try = RemoteAction.run

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        try:
            return await first_try(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            if not lost_with_its_server(error):
                raise
            logger.warning("Custom action %s: the call was lost with its action server (%s); trying once more",
                           self.name(), type(error.__cause__ or error.__context__).__name__)
            return await first_try(self, output_channel, nlg, tracker, domain)

    setattr(run, MARK, True)
    RemoteAction.run = run
    return True
