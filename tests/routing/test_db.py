"""The engine: SQLite files pooled beyond the worker threads, writers that wait, UTC datetimes (routing/db.py)."""
import threading

from sqlalchemy import text

from routing.db import make_engine

WORKER_THREADS = 40  # FastAPI's (AnyIO's) default for sync endpoints


def test_a_sqlite_file_gives_more_connections_at_once_than_there_are_worker_threads(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'routing.db'}")
    held = [engine.connect() for _ in range(WORKER_THREADS + 10)]
    try:
        assert all(connection.execute(text("SELECT 1")).scalar() == 1 for connection in held)
    finally:
        for connection in held:
            connection.close()


def test_a_sqlite_writer_waits_for_another_instead_of_failing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'routing.db'}")
    with engine.begin() as setup:
        setup.execute(text("CREATE TABLE notes (text TEXT)"))
    first = engine.connect()
    first.execute(text("INSERT INTO notes VALUES ('first')"))  # holds the write lock, uncommitted
    done = []

    def second_writer():
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes VALUES ('second')"))
        done.append(True)

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive()  # waiting, not failed with "database is locked"
    first.commit()
    first.close()
    thread.join(10)
    assert done == [True]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar() == 2


def test_sqlite_files_are_in_write_ahead_log_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'routing.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
