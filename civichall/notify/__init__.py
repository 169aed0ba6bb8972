"""Notifications to citizens: the in-site notification centre."""
