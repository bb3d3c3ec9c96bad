"""`make bench-load`: closed-loop simulated women against the running assistant.

Each simulated woman sends her next message when the previous reply arrives, through
the REST channel, in multi-turn conversations (FAQ answers and follow-ups, a request
for a lawyer or an educator that an expert answers through the routing API). The same
conversations run against the embedded default, the scaled deployment and a bare Rasa
assistant (same intents, stock pipeline, responses only) at 1, 20, 50 and 100 users;
`python -m bench.load --out reports/load` writes the table, the JSON and the plot.
"""
