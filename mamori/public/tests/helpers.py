"""A small published register, through the filebook's real workflow (届出 accepted, entries published)."""
from mamori.filebook.tests.helpers import publish_entries

__all__ = ["publish_entries"]
