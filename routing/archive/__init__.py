"""The routing backend's own archive of conversations, taken from Rasa's event broker.

Rasa publishes every event of every conversation to its event broker (endpoints.yml,
`event_broker`); `consumer` moves them, in order and each once, from an `EventSource`
(`sources`) into the `archived_events` table, keeping its place in `archive_cursors`.
The console reads conversations from there (routing/console/tracker_reader.py), so it
works wherever the routing backend runs and whatever store Rasa keeps its trackers in.
"""
