"""Typed values from the environment: the one reader for every settings module of the Rasa side.

bot.settings, actions.server and each channel's `settings.py` build a frozen dataclass
in `from_env(environ=None)` from these readers. Each takes the mapping to read (the
process environment unless a test gives another) and the variable's name; a value
that is not of its type raises ValueError naming the variable and what it held, so a
typo in a deployment is reported in a sentence an operator can act on. Unset or empty
means the default; text is stripped.

credentials.yml only names the channels (Rasa stops on an unset `${VAR}` there), so
the channels read their values here too. connectors/ may import this module and
nothing else of bot/, so it imports nothing of the project (tests/connectors/
test_dependencies.py holds both rules).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
DEVELOPMENT = "development"

Environ = Mapping[str, str]


def environment(environ: Optional[Environ] = None) -> Environ:
    """The mapping to read: the one given, else the process environment."""
    return os.environ if environ is None else environ


def text(environ: Environ, name: str, default: str = "") -> str:
    return str(environ.get(name) or "").strip() or default


def number(environ: Environ, name: str, default: float) -> float:
    raw = environ.get(name) or ""
    if raw == "":
        return default
    try:
        return float(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a number, got {raw!r}") from error


def whole_number(environ: Environ, name: str, default: int) -> int:
    raw = environ.get(name) or ""
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from error


def flag(environ: Environ, name: str, default: bool) -> bool:
    raw = (environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be true or false (also 1/0, yes/no, on/off), got {environ.get(name)!r}")


def items(environ: Environ, name: str) -> Tuple[str, ...]:
    """A comma-separated list, each item stripped, empty ones left out."""
    return tuple(item.strip() for item in (environ.get(name) or "").split(",") if item.strip())


def path(environ: Environ, name: str, default: str) -> Path:
    """A file or folder; a relative one is taken from the project root, not the working directory."""
    value = Path(text(environ, name, default))
    return value if value.is_absolute() else PROJECT_ROOT / value


def var_dir(environ: Optional[Environ] = None) -> Path:
    """Where the assistant keeps local state: ASSISTANT_VAR_DIR, default var/ in the project.

    One folder for the whole process, so the channels call this without their mapping:
    a test that hands a channel its own values still finds the var dir the process has.
    """
    return path(environment(environ), "ASSISTANT_VAR_DIR", "var")


def deployment(environ: Environ) -> str:
    """ASSISTANT_ENV as given, `development` only when unset.

    Not stripped, and empty is not the default: anything but exactly `development`
    (a typo, a blank line in an env file) gets the strict checks for secrets.
    """
    return environ.get("ASSISTANT_ENV", DEVELOPMENT)
