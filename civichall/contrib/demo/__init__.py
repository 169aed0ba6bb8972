"""The demo: made-up organisations, staff, articles and their pictures,
comment threads, the service matrix with fake department systems, the demo
residents and their identity provider, and the ``demo`` / ``load_demo``
commands.

A removable app at the top of the layers: it may use every room, and no
room imports it. It is installed when ``CIVICHALL_DEMO`` is on (by default
with ``DEBUG``; ``civichall demo`` and ``civichall load_demo`` turn it on).
"""
