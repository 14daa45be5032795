"""Footfall: self-hosted web and marketing analytics.

Data flows one way: collect (bytes -> raw hits) -> enrich (named steps) ->
store (the only code that talks to a database) -> reports (declarative
queries compiled to SQL) -> cli / web (presentation only).
"""

__version__ = "0.1.0"
