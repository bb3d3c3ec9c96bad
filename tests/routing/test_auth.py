"""Passwords are hashed with argon2id at the production cost. The other routing tests hash at
the lowest cost to save time (tests/routing/conftest.py); the test here is marked to keep it."""
import pytest
from argon2 import Type, extract_parameters

from routing import auth


@pytest.mark.production_hashing
def test_passwords_are_hashed_with_argon2id_at_the_production_cost():
    stored = auth.hash_password("a-long-password")
    parameters = extract_parameters(stored)
    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)
    assert parameters.salt_len >= 16 and parameters.hash_len >= 32
    assert auth._hasher.verify(stored, "a-long-password")
    with pytest.raises(ValueError):
        auth.hash_password("too-short")
