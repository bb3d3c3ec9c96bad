"""The action server, reachable only by Rasa: `python -m actions.server`.

rasa-sdk 3.6 has no authentication, binds every interface and answers errors
with the request body (her whole conversation) in the response. This runner
keeps rasa-sdk's app but binds 127.0.0.1 by default, accepts only calls that
carry the token Rasa sends (`action_endpoint.token` in endpoints.yml, which
Rasa adds as `?token=`), and answers errors without echoing anything.
"""
from __future__ import annotations

import argparse
import hmac
import logging
from dataclasses import dataclass
from typing import Mapping, Optional

from bot.environment import DEVELOPMENT, deployment, environment, text, whole_number

logger = logging.getLogger(__name__)

OPEN_PATHS = ("/health",)
MIN_TOKEN_LENGTH = 24


class InsecureSettings(ValueError):
    """Raised at start-up, outside development, when a secret is missing or weak."""


@dataclass(frozen=True)
class ActionServerSettings:
    host: str
    port: int
    token: str
    development: bool
    outbox_retry_seconds: float = 15.0  # how often what waits in the outbox is tried again

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ActionServerSettings":
        environ = environment(environ)
        settings = cls(
            host=text(environ, "ACTION_SERVER_HOST", "127.0.0.1"),
            port=whole_number(environ, "ACTION_SERVER_PORT", 5055),
            token=text(environ, "ACTION_SERVER_TOKEN"),
            development=deployment(environ) == DEVELOPMENT,
            outbox_retry_seconds=float(whole_number(environ, "ACTION_SERVER_OUTBOX_RETRY_SECONDS", 15)),
        )
        if len(settings.token) < MIN_TOKEN_LENGTH and not settings.development:
            raise InsecureSettings(
                f"ACTION_SERVER_TOKEN must be set (at least {MIN_TOKEN_LENGTH} characters) outside development; "
                "`make run` generates one in var/secrets/")
        return settings


def token_matches(expected: str, given: Optional[str]) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def build_app(settings: ActionServerSettings, package: str = "actions"):
    """rasa-sdk's app with the token check in front of every route but the health check."""
    from rasa_sdk.endpoint import create_app
    from sanic import response

    app = create_app(package, cors_origins=None)
    if not settings.token:
        logger.warning("ACTION_SERVER_TOKEN is not set: any local process can call the action server")

    @app.on_request
    async def require_token(request):
        if not settings.token or request.path in OPEN_PATHS:
            return None
        given = request.args.get("token") or request.headers.get("authorization", "").removeprefix("Bearer ")
        if not token_matches(settings.token, given):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.listener("after_server_start")
    async def deliver_what_waits(app, loop):  # noqa: ARG001 - Sanic's listener signature
        from actions.factories import default_handoff_store  # noqa: PLC0415 - settings are read at start, not import

        app.add_task(default_handoff_store().keep_delivering(settings.outbox_retry_seconds))

    @app.exception(Exception)
    async def without_her_words(request, exception: Exception):
        logger.error("action call failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    return app


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="the assistant's action server (token required)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--host", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = ActionServerSettings.from_env()
    except InsecureSettings as error:
        raise SystemExit(str(error)) from None
    host = args.host or settings.host
    port = args.port or settings.port
    logger.info("action server on http://%s:%s", host, port)
    build_app(settings).run(host, port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
