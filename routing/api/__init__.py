"""The HTTP API of the routing backend (FastAPI).

app.py assembles it; routes/ holds one router per resource (health, auth, handoffs,
conversations, offices); dependencies.py gives every endpoint its session (one commit
per request), caller and page; schemas.py shapes and masks every answer; errors.py and
middleware.py are what the API answers for everyone. The rules themselves live in the
routing core (routing/lifecycle.py, routing/handoff_operations.py, routing/sla_policy.py).
"""
