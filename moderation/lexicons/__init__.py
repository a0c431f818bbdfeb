"""Lexicon data files (a package so wheels ship the *.txt)."""
