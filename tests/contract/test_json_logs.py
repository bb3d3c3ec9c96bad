"""Structured logs (assistant_contract.json_logs): one JSON object per line, the request id of
the work in hand, and ids from callers only when they are plain tokens."""
import io
import json
import logging

from assistant_contract import json_logs


def test_a_line_is_json_with_time_level_logger_request_id_and_fields():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_logs.JsonFormatter())
    logger = logging.getLogger("test.json_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    token = json_logs.REQUEST_ID.set("req-1")
    try:
        logger.info("request", extra={"fields": {"route": "/healthz", "status": 200}})
    finally:
        json_logs.REQUEST_ID.reset(token)
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["message"] == "request" and line["request_id"] == "req-1" and line["level"] == "info"
    assert line["route"] == "/healthz" and line["status"] == 200 and line["ts"].endswith("+00:00")


def test_only_plain_ids_are_taken_from_callers():
    assert json_logs.request_id_from("tg-update.42:a") == "tg-update.42:a"
    for given in (None, "", "x" * 65, "a b", "id\nforged"):
        made = json_logs.request_id_from(given)
        assert len(made) == 32 and made != given


def test_request_urls_with_tokens_stay_out_of_the_log():
    """httpx logs each URL at INFO; Rasa's API takes its token in the URL (?token=…)."""
    root, saved = logging.getLogger(), (logging.getLogger().handlers[:], logging.getLogger().level)
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    stream = io.StringIO()
    try:
        root.handlers = []
        json_logs.configure(stream=stream)
        logging.getLogger("httpx").info("HTTP Request: POST http://rasa/conversations/x/trigger_intent?token=secret")
        logging.getLogger("httpx").warning("retrying")
    finally:
        root.handlers, _ = saved[0], root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert "secret" not in stream.getvalue() and "retrying" in stream.getvalue()
