"""Screens of the service contracts room: configuration, reports, the at-risk board."""
