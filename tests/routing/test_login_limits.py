"""The login limiter's rules, the same with failures counted in the routing database and in
Redis, and one budget of guesses across two routing backends."""
from __future__ import annotations

import pytest
import redis
from sqlalchemy.orm import sessionmaker

from routing import auth, login_limits
from routing.db import make_engine
from routing.login_limits_store import DatabaseFailureStore, RedisFailureStore, failure_store
from routing.settings import Settings
from tests.routing.test_login_limits_store import REDIS_URL, redis_or_fail, redis_prefix  # noqa: F401 (fixture)

PASSWORD = "a-long-password-for-tests"


@pytest.fixture(params=["database", "redis"])
def limiter(request, sessions, database_url):
    """(settings, db session, make_store): make_store() is another backend's store, as that backend builds it."""
    with sessions() as db, db.begin():
        auth.create_user(db, username="lawyer1", password=PASSWORD, role="expert")
        auth.create_user(db, username="lawyer2", password=PASSWORD, role="expert")
    closers = []
    if request.param == "database":
        settings = Settings(database_url=database_url)

        def make_store():
            engine = make_engine(database_url)  # another backend: its own engine and session
            session = sessionmaker(engine)()
            closers.extend([session.close, engine.dispose])
            return DatabaseFailureStore(session, settings.login_window_minutes)
    else:
        redis_or_fail().close()
        settings = Settings(database_url=database_url, redis_url=REDIS_URL,
                            redis_key_prefix=request.getfixturevalue("redis_prefix"))

        def make_store():
            client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
            closers.append(client.close)
            return RedisFailureStore(client, settings.redis_key_prefix, settings.login_window_minutes)

    db = sessions()
    yield settings, db, make_store
    db.close()
    for close in closers:
        close()


def attempt(limiter, password, address="10.0.0.1", username="lawyer1", store=None):
    settings, db, _ = limiter
    result = login_limits.attempt_login(db, username, password, address, settings, store=store)
    db.commit()
    return "locked" if result.locked else ("ok" if result.user else "wrong")


def test_the_store_follows_the_settings(limiter):
    settings, db, _ = limiter
    expected = RedisFailureStore if settings.redis_url else DatabaseFailureStore
    assert isinstance(failure_store(db, settings), expected)


def test_five_failures_lock_the_pair_even_for_the_right_password(limiter):
    assert [attempt(limiter, "wrong-guess") for _ in range(5)] == ["wrong"] * 5
    assert attempt(limiter, PASSWORD) == "locked"
    assert attempt(limiter, PASSWORD, address="10.0.0.9") == "ok"  # her, from another address
    assert attempt(limiter, PASSWORD, username="lawyer2") == "ok"  # another account from that address


def test_three_times_as_many_from_anywhere_lock_the_account(limiter):
    results = [attempt(limiter, "wrong-guess", address=f"10.0.{number}.1") for number in range(15)]
    assert results == ["wrong"] * 15
    assert attempt(limiter, PASSWORD, address="10.9.9.9") == "locked"
    assert attempt(limiter, PASSWORD, username="lawyer2") == "ok"


def test_a_good_login_clears_the_failures_of_its_address(limiter):
    for _ in range(4):
        attempt(limiter, "wrong-guess")
    assert attempt(limiter, PASSWORD) == "ok"
    assert [attempt(limiter, "wrong-guess") for _ in range(5)] == ["wrong"] * 5
    assert attempt(limiter, PASSWORD) == "locked"


def test_two_backends_share_one_budget_of_guesses(limiter):
    _, _, make_store = limiter
    one, two = make_store(), make_store()
    results = [attempt(limiter, "wrong-guess", store=(one, two)[number % 2]) for number in range(5)]
    assert results == ["wrong"] * 5
    assert attempt(limiter, PASSWORD, store=two) == "locked"
    assert attempt(limiter, PASSWORD, store=one) == "locked"


def test_an_attempt_counts_before_its_password_is_checked(limiter, monkeypatch):
    _, _, make_store = limiter
    other_backend = make_store()
    seen = []
    original = auth.authenticate

    def slow_check(db, username, password):
        # a guess arriving at the other backend while this password is being checked
        seen.append(other_backend.count_failure(username, "10.0.0.1", login_limits.utcnow()).pair)
        return original(db, username, password)

    monkeypatch.setattr(auth, "authenticate", slow_check)
    assert [attempt(limiter, "wrong-guess") for _ in range(4)] == ["wrong", "wrong", "wrong", "locked"]
    assert seen == [2, 4, 6]  # each saw the attempt in flight; the fourth was refused before any check
