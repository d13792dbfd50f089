"""Errors a user can cause; the CLI maps each to one line and an exit code."""

from __future__ import annotations


class GreentacticsError(Exception):
    """Base of every error a user can cause and fix; never shown with a traceback."""

    exit_code = 2


class UsageError(GreentacticsError):
    """A command was called with arguments or settings that cannot work."""

    exit_code = 2


class ConfigError(GreentacticsError):
    """A configuration file has an unknown key or a bad value."""

    exit_code = 2
