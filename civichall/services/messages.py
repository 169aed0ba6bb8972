"""Bilingual user-facing messages: the one carrier is
:class:`civichall.core.lang.Message`, re-exported here for the service
matrix's pure modules (connectors, menu rules), which import it from their
own room."""

from civichall.core.lang import Message

__all__ = ["Message"]
