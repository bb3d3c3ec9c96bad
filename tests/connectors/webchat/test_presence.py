"""Whether a page of her session is open, as every replica sees it through Redis: entries are
renewed while the socket lives, removed when it closes, and lapse when their replica dies."""
from __future__ import annotations

import asyncio

from socketio import AsyncServer

from connectors.webchat.presence import LocalPresence, SharedPresence
from tests.connectors.conftest import new_shared_redis

SESSION = "web-0123456789abcdef"


def test_alone_a_process_knows_only_its_own_sockets():
    async def main():
        presence = LocalPresence(AsyncServer(async_mode="asgi"))
        await presence.joined(SESSION, "sid-1")  # nothing to record: the server's rooms say it
        return await presence.present(SESSION)

    assert asyncio.run(main()) is False


def test_a_page_open_on_one_replica_is_present_for_the_others_until_it_closes(shared):
    async def main():
        one = SharedPresence(shared, AsyncServer(async_mode="asgi"))
        two = SharedPresence(new_shared_redis(shared.prefix), AsyncServer(async_mode="asgi"))
        before = await two.present(SESSION)
        await one.joined(SESSION, "sid-1")
        await one.joined(SESSION, "sid-2")  # a second tab
        opened = await two.present(SESSION), await two.present("web-somebody-else")
        await one.left("sid-1")
        one_tab_left = await two.present(SESSION)
        await one.left("sid-2")
        return before, opened, one_tab_left, await two.present(SESSION)

    assert asyncio.run(main()) == (False, (True, False), True, False)


def test_entries_are_renewed_while_the_socket_lives_and_lapse_when_the_replica_dies(shared):
    async def main():
        alive = SharedPresence(shared, AsyncServer(async_mode="asgi"), ttl_seconds=0.6)
        dying = SharedPresence(shared, AsyncServer(async_mode="asgi"), ttl_seconds=0.6)
        observer = SharedPresence(new_shared_redis(shared.prefix), AsyncServer(async_mode="asgi"))
        await alive.joined("web-alive", "sid-a")
        await dying.joined("web-dying", "sid-d")
        dying._keeper.cancel()  # killed outright: no renewal, no goodbye
        await asyncio.sleep(1.5)  # well past the time to live
        return await observer.present("web-alive"), await observer.present("web-dying")

    assert asyncio.run(main()) == (True, False)


def test_with_redis_away_she_counts_as_absent_so_the_message_waits(shared):
    async def main():
        unreachable = new_shared_redis(shared.prefix)
        unreachable.url = "redis://127.0.0.1:1/0"  # nothing listens there
        return await SharedPresence(unreachable, AsyncServer(async_mode="asgi")).present(SESSION)

    assert asyncio.run(main()) is False



def test_with_redis_away_a_page_still_connects_and_leaves_without_an_error(shared):
    async def main():
        away = new_shared_redis(shared.prefix)
        away.url = "redis://127.0.0.1:1/0"  # nothing listens there
        presence = SharedPresence(away, AsyncServer(async_mode="asgi"))
        await presence.joined(SESSION, "sid-1")  # her page is not refused for it
        await presence.left("sid-1")
        return await presence.present(SESSION)

    assert asyncio.run(main()) is False


def test_a_renewal_on_its_way_when_the_page_closes_does_not_keep_it_present(shared):
    """The keeper copies her sockets, she closes the tab (its entry removed), then the keeper's
    write lands: without a second look she would count as present for another 30 s, and a reply
    in that time would be sent to a closed page instead of waiting for her."""
    async def main():
        one = SharedPresence(shared, AsyncServer(async_mode="asgi"))
        two = SharedPresence(new_shared_redis(shared.prefix), AsyncServer(async_mode="asgi"))
        await one.joined(SESSION, "sid-1")
        copied = dict(one._sockets)  # what the keeper is about to renew
        await one.left("sid-1")
        await one._mark(copied)
        return await two.present(SESSION)

    assert asyncio.run(main()) is False
