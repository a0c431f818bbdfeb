"""Recruiting work that is neither a pure rule nor SQL: group commit, periodic monitoring."""
