"""The measurement plan: goals, funnels, KPIs, campaigns and channel rules, as a file."""
