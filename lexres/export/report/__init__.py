"""`lexres report`: a static, offline HTML site that shows each language at a glance (resources with
provenance, morphology, Bible coverage, lexicons, derived data), with every figure also as PNG and its numbers
as JSON. Drawing needs the optional extra `report` (matplotlib)."""

from lexres.export.report.collect import LanguageReport, language_report
from lexres.export.report.site import ReportResult, write_report

__all__ = ["LanguageReport", "ReportResult", "language_report", "write_report"]
