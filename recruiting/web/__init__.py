"""Recruiting's adapters: REST under /api/v1, chat frames, the OpenAPI fragment."""
