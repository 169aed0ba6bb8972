"""CivicHall: a service-first public account for government press offices."""

__version__ = "0.1.0"
