"""Custom actions. rasa-sdk imports every module here at start-up: keep imports free of I/O."""
