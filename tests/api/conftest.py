"""Fixtures of the API tests: the comment area's (a city account with a
published article, a citizen), for the tests that cross every API."""

from tests.interaction.conftest import article, citizen, city  # noqa: F401 (fixtures)
