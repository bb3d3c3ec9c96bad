"""The expert's API client against a small fake routing backend on a loopback port."""
import asyncio
import json

import aiohttp
import pytest
from aiohttp import web

from bench.load.routing_api import ApiError, RoutingApi


def fake_backend(seen):
    async def token(request):
        body = await request.json()
        if body["password"] != "right":
            return web.json_response({"detail": "wrong username or password"}, status=401)
        return web.json_response({"access_token": "t-1", "token_type": "bearer"})

    async def handoffs(request):
        seen.append(("list", request.headers.get("Authorization"), request.query.get("limit")))
        return web.json_response([{"id": "h1", "conversation_id": "load-x", "status": "received"}])

    async def act(request):
        seen.append((request.match_info["action"], request.match_info["id"], await request.text()))
        if request.match_info["action"] == "claim" and request.match_info["id"] == "taken":
            return web.json_response({"detail": "another expert already holds this handoff"}, status=409)
        return web.json_response({"id": request.match_info["id"]})

    async def detail(request):
        return web.json_response({"id": request.match_info["id"], "messages": []})

    app = web.Application()
    app.router.add_post("/api/v1/auth/token", token)
    app.router.add_get("/api/v1/handoffs", handoffs)
    app.router.add_get("/api/v1/handoffs/{id}", detail)
    app.router.add_post("/api/v1/handoffs/{id}/{action}", act)
    return app


def with_backend(check):
    async def go():
        seen = []
        runner = web.AppRunner(fake_backend(seen))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            async with aiohttp.ClientSession() as session:
                await check(RoutingApi(session, f"http://127.0.0.1:{port}/"), seen)
        finally:
            await runner.cleanup()
    asyncio.run(go())


def test_an_expert_logs_in_lists_claims_replies_reads_and_resolves():
    async def check(api, seen):
        token = await api.login("bench-lawyer", "right")
        assert token == "t-1"
        assert [h["id"] for h in await api.handoffs(token)] == ["h1"]
        await api.claim(token, "h1")
        await api.reply(token, "h1", "你好，我是律师。")
        assert (await api.detail(token, "h1"))["id"] == "h1"
        await api.resolve(token, "h1", "已回复")
        assert seen[0] == ("list", "Bearer t-1", "200")
        assert [entry[0] for entry in seen[1:]] == ["claim", "reply", "resolve"]
        assert json.loads(seen[2][2]) == {"text": "你好，我是律师。"}
        assert json.loads(seen[3][2]) == {"note": "已回复"}
    with_backend(check)


def test_refusals_and_an_unreachable_backend_raise_api_errors_with_the_status():
    async def check(api, seen):
        with pytest.raises(ApiError, match="HTTP 401"):
            await api.login("bench-lawyer", "wrong")
        with pytest.raises(ApiError, match="HTTP 409"):
            await api.claim("t-1", "taken")
        async with aiohttp.ClientSession() as session:
            with pytest.raises(ApiError, match="ClientConnectorError"):
                await RoutingApi(session, "http://127.0.0.1:9", timeout=2).handoffs("t-1")
    with_backend(check)
