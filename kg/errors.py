"""The library's one exception family. The CLI turns each into a one-line message and an exit status."""
from __future__ import annotations


class KgError(Exception):
    """Base of every error the library raises on purpose; `exit_code` is the CLI's exit status."""

    exit_code = 1


class UsageError(KgError):
    """An argument the user gave cannot be used (unknown option value, malformed --param)."""

    exit_code = 2


class InputError(KgError):
    """An input file or folder cannot be read as a report."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query cannot be found, parsed or run, or the graph it runs on cannot be loaded."""

    exit_code = 4


class OutputError(KgError):
    """An output file or folder cannot be written."""

    exit_code = 5


class ValidationError(KgError):
    """The graph built does not conform to the SHACL shapes."""

    exit_code = 6

    def __init__(self, message: str, violations: list[str] | None = None):
        super().__init__(message)
        self.violations = violations or []
