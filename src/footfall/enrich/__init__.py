"""enrich layer."""
