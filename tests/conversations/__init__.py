"""Multi-turn conversation tests played through the live servers (see runner.py)."""
