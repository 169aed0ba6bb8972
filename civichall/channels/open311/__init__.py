"""Open311 GeoReport v2 at ``/open311/v2/``: problem reports from any
Open311 client become cases of the applications room (``docs/open311.md``)."""
