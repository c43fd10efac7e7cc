"""Organisations (the municipal teams), their areas and partners."""
