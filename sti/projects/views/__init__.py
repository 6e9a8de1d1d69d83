"""Pages of the task registry, one module per area."""
