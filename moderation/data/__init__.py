"""Precomputed data files (a package so wheels ship the *.tsv)."""
