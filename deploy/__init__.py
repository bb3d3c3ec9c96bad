"""The scaled deployment (issue #16, docs/scaling.md): two of each server behind nginx, on
PostgreSQL, Redis and RabbitMQ. `scaled` is standard library only, so either virtualenv
(and the tests and benches of both) can import it."""
