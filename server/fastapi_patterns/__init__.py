"""fastapi-patterns: find and fix departures from FastAPI best practices, in the editor and in CI."""

__version__ = "0.1.0"
