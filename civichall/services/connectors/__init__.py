"""Connectors: how query services reach department systems.

``base`` defines the plug-in contract and the registry, ``runner`` runs one
query with validation, cache, circuit breaker and a hard timeout; every other
module of this package is a connector kind and registers itself.
"""

from .base import (
    Connector,
    ConnectorConfigError,
    ConnectorError,
    ConnectorInputError,
    ConnectorUnavailable,
    FetchContext,
    InvalidParams,
    Secret,
    available_kinds,
    build_connector,
    get_connector_class,
    prepare_params,
    register,
    validate_input,
    validate_output,
)

__all__ = [
    "Connector",
    "ConnectorConfigError",
    "ConnectorError",
    "ConnectorInputError",
    "ConnectorUnavailable",
    "FetchContext",
    "InvalidParams",
    "Secret",
    "available_kinds",
    "build_connector",
    "get_connector_class",
    "prepare_params",
    "register",
    "validate_input",
    "validate_output",
]
