"""How long and how hard the load bench pushes: typed, from the environment, overridden by the command line."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from bot.environment import environment, number, path, whole_number, items

FULL_USERS = (1, 20, 50, 100)
QUICK_USERS = (1, 20)


@dataclass(frozen=True)
class LoadSettings:
    users: Tuple[int, ...] = FULL_USERS
    seconds: float = 60.0  # each level
    max_turns: int = 5000  # per woman per level: a bound above what 60 s allows (the bare one does ~45 turns/s)
    reply_timeout: float = 30.0  # a slower reply is an error
    warmup_seconds: float = 15.0  # a short untimed level before the first timed one
    drain_seconds: float = 30.0  # after a level: the experts finish and their replies arrive
    pause_seconds: float = 5.0  # between levels
    bare_epochs: int = 5
    workdir: Path = Path("var/bench-load")

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "LoadSettings":
        """BENCH_LOAD_USERS (1,20,50,100), BENCH_LOAD_SECONDS, BENCH_LOAD_MAX_TURNS, BENCH_LOAD_REPLY_TIMEOUT,
        BENCH_LOAD_WARMUP_SECONDS, BENCH_LOAD_DRAIN_SECONDS, BENCH_LOAD_BARE_EPOCHS, BENCH_LOAD_WORKDIR."""
        environ = environment(environ)
        users = tuple(int(value) for value in items(environ, "BENCH_LOAD_USERS")) or FULL_USERS
        settings = cls(
            users=users, seconds=number(environ, "BENCH_LOAD_SECONDS", 60.0),
            max_turns=whole_number(environ, "BENCH_LOAD_MAX_TURNS", 5000),
            reply_timeout=number(environ, "BENCH_LOAD_REPLY_TIMEOUT", 30.0),
            warmup_seconds=number(environ, "BENCH_LOAD_WARMUP_SECONDS", 15.0),
            drain_seconds=number(environ, "BENCH_LOAD_DRAIN_SECONDS", 30.0),
            bare_epochs=whole_number(environ, "BENCH_LOAD_BARE_EPOCHS", 5),
            workdir=path(environ, "BENCH_LOAD_WORKDIR", "var/bench-load"))
        settings.check()
        return settings

    def check(self) -> None:
        if not self.users or min(self.users) < 1 or max(self.users) > 500:
            raise ValueError("users must be between 1 and 500 per level")
        if not 0 < self.seconds <= 600 or not 0 < self.reply_timeout <= 120:
            raise ValueError("a level lasts at most 600 s and a reply is waited for at most 120 s")
        if not 1 <= self.max_turns <= 10_000 or self.bare_epochs < 1:
            raise ValueError("max_turns between 1 and 10,000, bare_epochs at least 1")
