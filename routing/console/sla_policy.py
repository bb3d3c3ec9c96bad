"""Moved to routing/sla_policy.py: the API, the console and the sweep share one policy.

Kept only so that routing/cli.py, which imports it from here, keeps working until it
imports `routing.sla_policy` itself; new code imports the core module.
"""
from routing.sla_policy import FIELDS, SlaPolicy, current, save

__all__ = ["FIELDS", "SlaPolicy", "current", "save"]
