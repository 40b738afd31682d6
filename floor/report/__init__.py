"""Report stage: the ``floor.report/1`` document and its renderings."""

from .build import OVERALL, PREDICTION_SCHEMA, REPORT_SCHEMA, build_prediction, build_report
from .render import TABLE_STYLES, format_csv, format_json, format_replicates_csv, format_table

__all__ = ["OVERALL", "PREDICTION_SCHEMA", "REPORT_SCHEMA", "TABLE_STYLES", "build_prediction", "build_report",
           "format_csv", "format_json", "format_replicates_csv", "format_table"]
