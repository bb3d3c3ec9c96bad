"""The channels' SQLite files shared by processes: write-ahead log, and read-then-write without a gap."""
import sqlite3
import threading
import time

from connectors.shared_state.sqlite_files import connect, immediate, use_write_ahead_log


def test_the_write_ahead_log_is_kept_in_the_file(tmp_path):
    path = tmp_path / "channel.db"
    first = connect(path)
    use_write_ahead_log(first)
    first.close()
    assert connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_writer_waits_for_an_immediate_transaction_instead_of_slipping_in(tmp_path):
    path = tmp_path / "channel.db"
    setup = connect(path)
    use_write_ahead_log(setup)
    setup.execute("CREATE TABLE waiting (id INTEGER PRIMARY KEY, text TEXT)")
    setup.execute("INSERT INTO waiting (text) VALUES ('一')")
    setup.commit()
    taken, order = [], []
    inside = threading.Event()

    def take():
        connection = connect(path)
        with immediate(connection):
            taken.extend(row[0] for row in connection.execute("SELECT text FROM waiting"))
            inside.set()
            time.sleep(0.5)  # another process writes meanwhile: it must wait
            connection.execute("DELETE FROM waiting")
            order.append("taken")
        connection.close()

    thread = threading.Thread(target=take)
    thread.start()
    assert inside.wait(10)
    writer = connect(path)
    with writer:
        writer.execute("INSERT INTO waiting (text) VALUES ('二')")
    order.append("written")
    thread.join(timeout=10)
    assert order == ["taken", "written"] and taken == ["一"]
    assert [row[0] for row in writer.execute("SELECT text FROM waiting")] == ["二"]  # kept, not deleted unseen


def test_a_failure_inside_rolls_back(tmp_path):
    connection = connect(tmp_path / "channel.db")
    connection.execute("CREATE TABLE t (x INTEGER)")
    connection.commit()
    try:
        with immediate(connection):
            connection.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("failed")
    except RuntimeError:
        pass
    assert connection.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0
    assert isinstance(connection, sqlite3.Connection) and connection.isolation_level == ""
