"""The web layer: dashboard, JSON API and login. Only presentation and access checks."""
