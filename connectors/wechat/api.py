"""WeChat's customer-service message API over httpx: the access token and message/custom/send.

Two documented endpoints and nothing else, so no private part of an SDK is needed:
- `GET {base}token?grant_type=client_credential&appid=…&secret=…` gives
  `{"access_token": …, "expires_in": 7200}` (or `{"errcode": …, "errmsg": …}`);
- `POST {base}message/custom/send?access_token=…` with
  `{"touser": openid, "msgtype": "text", "text": {"content": …}}` answers `{"errcode": 0}`
  or the reason it refused (45015: she has not written for 48 hours).
The token is cached in memory (one per Rasa process) until shortly before it expires;
an answer saying it is invalid or expired (40001, 40014, 42001) fetches a new one once.
Blocking on purpose: the sender runs it in an executor thread.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from typing import Callable, Optional

import httpx

STALE_TOKEN_ERRCODES = {40001, 40014, 42001}
TOKEN_MARGIN_SECONDS = 300
REQUEST_TIMEOUT_SECONDS = 5.0


def keep_secrets_out_of_logs() -> None:
    """httpx logs every request URL at INFO, and these URLs carry the AppSecret or the access token."""
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.getEffectiveLevel() < logging.WARNING:
        httpx_logger.setLevel(logging.WARNING)


class WeChatApiError(Exception):
    """WeChat answered with an errcode, or an HTTP error status (then `errcode` is None)."""

    def __init__(self, errcode: Optional[int], errmsg: str = "", status: Optional[int] = None) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}" if errcode is not None else f"HTTP {status}")
        self.errcode, self.errmsg, self.status = errcode, errmsg, status


def _answer(response: httpx.Response) -> dict:
    if response.status_code >= 400:
        raise WeChatApiError(None, status=response.status_code)
    try:
        data = response.json()
    except ValueError as error:
        raise WeChatApiError(None, "unreadable answer", status=response.status_code) from error
    if not isinstance(data, dict):
        raise WeChatApiError(None, "unreadable answer", status=response.status_code)
    if data.get("errcode") not in (None, 0):
        raise WeChatApiError(int(data["errcode"]), str(data.get("errmsg") or ""))
    return data


class WeChatMessageApi:
    def __init__(self, app_id: str, app_secret: str, api_base_url: str,
                 timeout: float = REQUEST_TIMEOUT_SECONDS, clock: Callable[[], float] = time.time) -> None:
        self._app_id, self._app_secret = app_id, app_secret
        self._base = api_base_url.rstrip("/") + "/"
        self._timeout, self._clock = timeout, clock
        self._token: Optional[str] = None
        self._token_expires = 0.0
        self._lock = threading.Lock()
        keep_secrets_out_of_logs()

    def access_token(self, fresh: bool = False) -> str:
        with self._lock:
            if fresh or self._token is None or self._clock() >= self._token_expires:
                data = _answer(httpx.get(f"{self._base}token", timeout=self._timeout, params={
                    "grant_type": "client_credential", "appid": self._app_id, "secret": self._app_secret}))
                if not data.get("access_token"):
                    raise WeChatApiError(None, "no access_token in the answer", status=200)
                self._token = str(data["access_token"])
                self._token_expires = self._clock() + max(60, int(data.get("expires_in") or 7200)
                                                          - TOKEN_MARGIN_SECONDS)
            return self._token

    def send_text(self, openid: str, text: str) -> None:
        """Raises WeChatApiError or httpx.HTTPError when the message was not accepted."""
        body = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": text}},
                          ensure_ascii=False).encode("utf-8")  # WeChat shows \\u escapes literally
        for fresh in (False, True):
            response = httpx.post(f"{self._base}message/custom/send", timeout=self._timeout,
                                  params={"access_token": self.access_token(fresh=fresh)}, content=body,
                                  headers={"Content-Type": "application/json; charset=utf-8"})
            try:
                _answer(response)
                return
            except WeChatApiError as error:
                if fresh or error.errcode not in STALE_TOKEN_ERRCODES:
                    raise
