"""A shop API in the src layout, built by an application factory."""
