"""The service matrix: menus, the service catalog search, connectors to
department systems, and the demo departments.

This package's modules outside ``models``/``views``/``admin``/``api`` are the
functional core: plain Python, no Django imports, so they can be tested and
benchmarked directly and called from any shell (web view, WeChat callback,
worker).
"""
