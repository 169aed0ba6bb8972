"""The comment area's fixtures: analytics draws its figures from it."""

from tests.interaction.conftest import *  # noqa: F401,F403
from tests.interaction.test_admin import metro_question  # noqa: F401
