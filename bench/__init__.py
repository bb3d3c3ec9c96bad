"""Benchmarks that run the assistant as she meets it: whole services, measured from outside."""
