"""The WeChat channel over real HTTP, for the channel's tests and the replay attack's: a
scripted assistant in place of Rasa, a local fake WeChat API, and requests signed (or
encrypted) like WeChat's servers sign them."""
from __future__ import annotations

import asyncio
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from typing import Dict, List, Optional

import pytest
from wechatpy.crypto import WeChatCrypto

from connectors.wechat.channel import WeChatInput, build_webhook
from connectors.wechat.settings import WeChatSettings
from tests.connectors.sanic_server import ChannelServer
from tests.connectors.wechat.fake_api import APP_ID, APP_SECRET, FakeWeChatApi
from tests.connectors.wechat.payloads import TOKEN, signature, signed_query

ACCOUNT = "gh_3f2c9b7a1d4e"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"  # 43 characters, like 公众平台's EncodingAESKey


class ScriptedAssistant:
    """Stands in for Rasa: answers each text with scripted messages through the channel."""

    def __init__(self) -> None:
        self.received: List[str] = []
        self.replies: Dict[str, List[dict]] = {}
        self.gate: Optional[threading.Event] = None  # when set up, the answer waits for it
        self.failure: Optional[Exception] = None  # when set, the turn fails like a broken dialogue

    async def __call__(self, message) -> None:
        self.received.append(message.text)
        if self.failure is not None:
            raise self.failure
        if self.gate is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        for reply in self.replies.get(message.text, [{"text": f"收到：{message.text}"}]):
            await message.output_channel.send_response(message.sender_id, dict(reply))


@pytest.fixture
def fake_api():
    api = FakeWeChatApi()
    yield api
    api.close()


@pytest.fixture
def settings(tmp_path, fake_api):
    return WeChatSettings(token=TOKEN, app_id=APP_ID, app_secret=APP_SECRET, aes_key="",
                          api_base_url=fake_api.base_url, var_dir=tmp_path, reply_deadline_seconds=3.0,
                          retry_backoff_seconds=0.01)


@pytest.fixture
def make_server():
    servers = []

    def start(settings: WeChatSettings, assistant: ScriptedAssistant, shared=None):
        channel = WeChatInput(build_webhook(settings, shared=shared))  # shared: the replicas' Redis
        server = ChannelServer([channel], assistant).start()
        servers.append(server)
        return server, channel

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def assistant():
    return ScriptedAssistant()


def call(server, method: str, query: Dict[str, str], body: Optional[bytes] = None):
    url = f"{server.url}/webhooks/wechat/webhook?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "text/xml"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def post(server, body: bytes, **query_extra: str):
    return call(server, "POST", signed_query(**query_extra), body)


def reply_fields(body: str) -> Dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(body)}


def encrypted_post(server, crypto: WeChatCrypto, body: bytes, token: str = TOKEN):
    """As WeChat posts in safe mode: the message encrypted, the encrypted body signed."""
    query = signed_query(token)
    envelope = reply_fields(crypto.encrypt_message(body.decode("utf-8"), query["nonce"], query["timestamp"]))
    query.update(encrypt_type="aes", msg_signature=signature(token, query["timestamp"], query["nonce"],
                                                              envelope["Encrypt"]))
    xml = (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
           f"<Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>")
    return call(server, "POST", query, xml.encode("utf-8"))
