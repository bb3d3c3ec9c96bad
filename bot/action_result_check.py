"""Rasa's check of an action server's response, with its JSON schema compiled once.

Rasa 3.6 checks every response of the action server against `RemoteAction.action_response_format_spec()`
with `jsonschema.validate`, which first checks that schema against the JSON Schema 2020-12 meta-schema,
on every call. With jsonschema 4.17 (the newest Rasa 3.6 accepts, and the catalogue's checks need 4.x)
that meta-schema check costs about 20 ms of CPU per action call, and a turn runs two to four actions: under
load it was a third of the Rasa server's time (README, "Speed under load"). `install()` replaces the
method with the same check by a validator built once: the same schema, the same validator class, the same
best-matching error with Rasa's own message appended.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import exceptions
from jsonschema.validators import validator_for

# Rasa's words after the schema's own message (rasa/core/actions/action.py, 3.6.21).
RASA_HINT = ("Failed to validate Action server response from API, make sure your response from the Action "
             "endpoint is valid. For more information about the format visit {docs}/custom-actions")


@functools.lru_cache(maxsize=1)
def _validator():
    from rasa.core.actions.action import RemoteAction

    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)  # once, as jsonschema.validate does on every call
    return validator_class(spec)


def validate_action_result(self, result: Dict[Text, Any]) -> bool:
    """`RemoteAction._validate_action_result`: True, or the best-matching `ValidationError` raised."""
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += ". " + RASA_HINT.format(docs=DOCS_BASE_URL)
        raise error
    return True


def install() -> bool:
    """Put the compiled check in Rasa's place; False (and nothing changed) if Rasa has no such method."""
    from rasa.core.actions.action import RemoteAction

    if not callable(getattr(RemoteAction, "_validate_action_result", None)):
        return False
    RemoteAction._validate_action_result = validate_action_result
    return True
