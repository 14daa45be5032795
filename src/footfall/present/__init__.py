"""Presentation for people who do not use the CLI: a single-file HTML report with SVG charts."""

from footfall.present.html_report import build_html_report

__all__ = ["build_html_report"]
