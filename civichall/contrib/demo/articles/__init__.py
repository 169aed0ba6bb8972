"""Demo content for the account: topics, image specs and articles.

Plain data, no Django: the loader turns ``TOPICS`` into topics, renders each
``IMAGES`` spec with ``pictures.render_image`` and builds article pages
whose StreamField bodies are the ``body`` lists below (one dict per block,
``{"type": ..., "value": ...}``, in the shapes of ``content.blocks``).

The articles follow the livelihood areas and forms of the "Shanghai Release"
study: school return, metro resumption, a comic for elderly people without
smartphones, mosquito-season Q&A with extra reading, "one picture explains
it" posters, charts, Q&A lists, key points, step guides and service cards.
They are demo texts: figures in charts are marked as demo data, and the only
phone numbers are public hotlines (12345, 12320, 12333 …).
"""

from . import headlines, jobs_health_traffic, services_online, weather
from .blocks import DEMO_SOURCE_NOTE, VIDEO_HOST
from .topics import IMAGES, TOPICS

# In the order they are loaded (their publication dates are set separately).
ARTICLES = headlines.ARTICLES + weather.ARTICLES + jobs_health_traffic.ARTICLES + services_online.ARTICLES

__all__ = ["ARTICLES", "DEMO_SOURCE_NOTE", "IMAGES", "TOPICS", "VIDEO_HOST"]
