"""Glue for the assistant: settings, the intent taxonomy and the command line."""
