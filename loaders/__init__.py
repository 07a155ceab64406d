"""Readers for each source format; every module registers its readers with lexres.registry."""
