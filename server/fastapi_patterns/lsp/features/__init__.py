"""One module per protocol concern; each exposes `register(server)` and keeps its handlers to itself."""
