"""Which files a piece of the console reads: every path opened while it runs, from another
current directory, with its caches emptied before and after."""
from __future__ import annotations

import pathlib
from typing import Callable, List


def files_read(monkeypatch, where: pathlib.Path, run: Callable[[], object],
               caches: List[Callable]) -> List[pathlib.Path]:
    opened: List[pathlib.Path] = []
    original = pathlib.Path.open

    def recording(self, *args, **kwargs):
        opened.append(self.resolve())
        return original(self, *args, **kwargs)

    monkeypatch.chdir(where)
    monkeypatch.setattr(pathlib.Path, "open", recording)
    for cache in caches:
        cache.cache_clear()
    try:
        assert run()
    finally:
        for cache in caches:
            cache.cache_clear()
    return opened
