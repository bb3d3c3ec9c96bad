"""Grid reporting: grid workers, town staff and 12345 / department work orders report women
and children in difficulty; first-level grids verify, federations at village, town or
county level handle and close, every step an event, every stage with a time limit.

The shared names (sources, subjects, stages, roles) live in assistant_contract.grid.
"""
