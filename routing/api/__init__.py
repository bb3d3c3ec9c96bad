"""The HTTP API of the routing backend (FastAPI)."""
