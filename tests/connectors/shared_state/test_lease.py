"""One holder at a time: taken, renewed, given back, and taken over when it lapses."""
import threading
import time

from connectors.shared_state import RedisLease, SoleLease
from tests.connectors.conftest import new_shared_redis


def test_the_embedded_lease_is_always_held():
    lease = SoleLease()
    assert lease.hold() and lease.hold()
    lease.release()
    assert lease.hold()


def test_one_holder_renews_while_the_other_waits(shared):
    first = RedisLease(shared, "poller", ttl_seconds=5)
    second = RedisLease(new_shared_redis(shared.prefix), "poller", ttl_seconds=5)
    assert first.hold() is True and second.hold() is False
    assert first.hold() is True  # renewed
    assert second.holder() == first.owner


def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it(shared):
    first, second = RedisLease(shared, "poller", 30), RedisLease(shared, "poller", 30)
    assert first.hold()
    second.release()  # not its lease: nothing happens
    assert second.hold() is False
    first.release()
    assert second.hold() is True and first.hold() is False


def test_a_holder_that_stops_renewing_loses_the_lease_when_it_lapses(shared):
    dead, survivor = RedisLease(shared, "poller", ttl_seconds=0.5), RedisLease(shared, "poller", ttl_seconds=0.5)
    assert dead.hold()
    assert survivor.hold() is False
    deadline = time.monotonic() + 5
    while not survivor.hold():
        assert time.monotonic() < deadline, "the lease did not lapse"
        time.sleep(0.05)
    assert dead.hold() is False


def test_of_many_racing_for_a_free_lease_exactly_one_gets_it(shared):
    leases = [RedisLease(new_shared_redis(shared.prefix), "token-refresh", 10) for _ in range(8)]
    start, held = threading.Barrier(len(leases)), []

    def take(lease):
        start.wait(timeout=10)
        if lease.hold():
            held.append(lease.owner)

    threads = [threading.Thread(target=take, args=(lease,)) for lease in leases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(held) == 1
