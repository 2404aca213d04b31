"""The shop API package."""
