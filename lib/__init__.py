"""Dependency-free helpers: the bottom layer (docs/architecture.md). Modules here import only the
standard library and Django, never an app of this project."""
