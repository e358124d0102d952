"""The comments app's views, one module per job: posting and editing, reports,
the guidelines page."""
