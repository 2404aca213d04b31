"""Path operations, one module per resource."""
