"""Exports of stored entries to files: tables (TSV, Parquet partitioned by language, pandas DataFrames) and
verse-aligned Bible text."""

from lexres.export.tables import dataframe, export_parquet, export_tsv

__all__ = ["dataframe", "export_parquet", "export_tsv"]
