"""Recruiting's SQL: one repository per idea, and the apply hot path's writer and drivers."""
