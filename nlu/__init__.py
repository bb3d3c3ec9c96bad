"""Custom Chinese NLU components for the Rasa pipeline (see config.yml)."""
