"""WeChat's customer-service message API over httpx: the access token and message/custom/send.

Two documented endpoints and nothing else, so no private part of an SDK is needed:
- `GET {base}token?grant_type=client_credential&appid=…&secret=…` gives
  `{"access_token": …, "expires_in": 7200}` (or `{"errcode": …, "errmsg": …}`);
- `POST {base}message/custom/send?access_token=…` with
  `{"touser": openid, "msgtype": "text", "text": {"content": …}}` answers `{"errcode": 0}`
  or the reason it refused (45015: she has not written for 48 hours).
The token is kept until shortly before it expires (connectors/wechat/access_token.py:
in memory for one Rasa process, in Redis for several replicas); an answer saying it is
invalid or expired (40001, 40014, 42001) renews it once, and a renewal someone else
already made is used rather than fetched again (each fetch invalidates the last token).
Blocking on purpose: the sender runs it in an executor thread.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Callable, Optional, Tuple

import httpx

from connectors.wechat.access_token import AccessTokens, ProcessToken

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
                 timeout: float = REQUEST_TIMEOUT_SECONDS, clock: Callable[[], float] = time.time,
                 tokens: Optional[AccessTokens] = None, transport: Optional[httpx.BaseTransport] = None) -> None:
        self._app_id, self._app_secret = app_id, app_secret
        self._base = api_base_url.rstrip("/") + "/"
        self._tokens = tokens or ProcessToken(clock)
        self._http = httpx.Client(timeout=timeout, transport=transport)  # pooled, thread-safe
        keep_secrets_out_of_logs()

    def access_token(self, fresh: bool = False) -> str:
        """The token in use; `fresh`: the one in use is refused, get another (once, whoever asks)."""
        if fresh:
            return self._tokens.renew(self._tokens.peek(), self._fetch_token)
        return self._tokens.current(self._fetch_token)

    def _fetch_token(self) -> Tuple[str, float]:
        data = _answer(self._http.get(f"{self._base}token", params={
            "grant_type": "client_credential", "appid": self._app_id, "secret": self._app_secret}))
        if not data.get("access_token"):
            raise WeChatApiError(None, "no access_token in the answer", status=200)
        return str(data["access_token"]), max(60, int(data.get("expires_in") or 7200) - TOKEN_MARGIN_SECONDS)

    def send_text(self, openid: str, text: str) -> None:
        """Raises WeChatApiError or httpx.HTTPError when the message was not accepted."""
        body = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": text}},
                          ensure_ascii=False).encode("utf-8")  # WeChat shows \\u escapes literally
        token = self._tokens.current(self._fetch_token)
        for renewed in (False, True):
            response = self._http.post(f"{self._base}message/custom/send", params={"access_token": token},
                                       content=body, headers={"Content-Type": "application/json; charset=utf-8"})
            try:
                _answer(response)
                return
            except WeChatApiError as error:
                if renewed or error.errcode not in STALE_TOKEN_ERRCODES:
                    raise
            token = self._tokens.renew(token, self._fetch_token)
