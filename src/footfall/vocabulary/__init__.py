"""The words reports and plans are written in: metrics, dimensions, filters, periods, formats.

Plain records and their validation, below ``plan`` and ``reports``: a plan names metrics
and filters, a report runs them, every face shows them. Nothing here runs SQL.
"""
