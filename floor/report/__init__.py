"""Report stage: the ``floor.report/1`` document and its renderings."""

from .build import OVERALL, REPORT_SCHEMA, build_report
from .render import format_csv, format_json, format_table

__all__ = ["OVERALL", "REPORT_SCHEMA", "build_report", "format_csv", "format_json", "format_table"]
