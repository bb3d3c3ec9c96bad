"""The routing backend: collects handoff requests, routes them to a department and
an expert, keeps every status change, and serves the experts' HTTP API.

Runs in its own virtualenv (Python 3.11, FastAPI, SQLAlchemy 2) beside Rasa's.
"""
