"""The contract between the assistant (Rasa, Python 3.10) and the routing backend (Python 3.11).

The two services run in separate virtualenvs but speak about the same things: the
four service areas, handoff statuses and which of them count as open, the intents one
side triggers on the other, China time, which conversation ids may travel in a URL,
and the catalogue (`catalogue/`: the intent taxonomy, the FAQ answers and the case
library, with their readers and schema checks). Each such name and rule has exactly
one owner, here; both virtualenvs install this package (`make install`), and it needs
nothing but the standard library and PyYAML.
"""
