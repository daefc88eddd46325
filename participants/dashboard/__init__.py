"""The organiser dashboard: one page that gathers every app's panels for a meeting."""
