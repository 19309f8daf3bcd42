"""Dependency-free helpers: the bottom layer (docs/architecture.md). Modules here import only the
standard library, Django and python-stdnum (lib/nin.py's checksums), never an app of this project."""
