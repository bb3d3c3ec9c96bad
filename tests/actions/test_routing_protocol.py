"""Every implementation, real or fake, provides the whole protocol it stands for,
as coroutines with the same parameters: a fake missing a method is how the
in-memory store once skipped forwarding her messages without anyone noticing."""
import inspect

import pytest

from actions.handoff_outbox import OutboxHandoffStore
from actions.routing_client import RoutingClient
from actions.routing_protocol import HandoffStore, RoutingBackend, RoutingRefused
from tests.actions.fakes import FakeRoutingBackend, InMemoryHandoffStore


def protocol_methods(protocol):
    """The public methods a protocol declares, its parent protocols' included."""
    return {name: member for cls in protocol.__mro__ if cls.__module__ == protocol.__module__
            for name, member in vars(cls).items() if inspect.isfunction(member) and not name.startswith("_")}


@pytest.mark.parametrize("implementation, protocol", [
    (RoutingClient, RoutingBackend), (FakeRoutingBackend, RoutingBackend),
    (OutboxHandoffStore, HandoffStore), (InMemoryHandoffStore, HandoffStore),
])
def test_each_implementation_has_every_method_of_its_protocol(implementation, protocol):
    methods = protocol_methods(protocol)
    assert {"forward_message", "latest_for"} <= set(methods)
    if protocol is RoutingBackend:
        assert {"offices_for_region", "nearest_offices", "open_handoff"} <= set(methods)
    for name, declared in methods.items():
        provided = getattr(implementation, name, None)
        assert provided is not None, f"{implementation.__name__} lacks {name}"
        assert inspect.iscoroutinefunction(provided), f"{implementation.__name__}.{name} is not async"
        assert list(inspect.signature(provided).parameters) == list(inspect.signature(declared).parameters)


def test_only_a_refusal_of_the_token_refuses_the_caller():
    assert RoutingRefused(401, "missing bearer token").refuses_the_caller
    assert RoutingRefused(403, "not the service token").refuses_the_caller
    assert not RoutingRefused(422, "body.summary: too long").refuses_the_caller
    assert not RoutingRefused(404, "no handoff h1").refuses_the_caller
