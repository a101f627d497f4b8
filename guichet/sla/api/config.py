"""Calendars and contracts for administrators."""

from ninja import Router

router = Router(tags=["service contracts"])
