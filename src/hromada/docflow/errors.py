"""Refusals of the workflow: each carries a message for the person who tried."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """The action is not allowed now, for the reason in the message."""


class NotPermitted(Refused):
    pass


class NotOnRoute(Refused):
    pass


class AlreadyDecided(Refused):
    pass


class WrongState(Refused):
    pass
