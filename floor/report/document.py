"""The documents floor returns, for notebooks: still the JSON documents themselves (``dict``), with a table in
HTML where a notebook shows them and a data frame of their rows."""

from __future__ import annotations

import json

from ..errors import FloorError
from .render import format_json, format_table


class Document(dict):
    """A ``floor.report/1`` or ``floor.prediction/1`` document: the dict every function documents (``["groups"]``,
    ``json.dumps``), shown as a table in a notebook. Rows: a report's groups, a prediction's rows."""

    rows_key = ""

    def to_dict(self) -> dict:
        """A plain copy, as JSON would read it back."""
        return json.loads(self.to_json())

    def to_json(self) -> str:
        """The document as JSON text (what ``--json`` writes)."""
        return format_json(self)

    def to_pandas(self):
        """A ``pandas.DataFrame`` with one row per group (report) or prediction, nested blocks as dotted columns
        (``theorem2.floor``). pandas is optional: ``pip install pandas``."""
        try:
            import pandas
        except ImportError:
            raise FloorError("to_pandas needs pandas: pip install pandas") from None
        return pandas.json_normalize(self.to_dict()[self.rows_key])

    def _repr_html_(self) -> str:
        return format_table(self, "html")


class Report(Document):
    """A ``floor.report/1`` document (:func:`floor.run`, :func:`floor.estimate`)."""

    rows_key = "groups"


class Prediction(Document):
    """A ``floor.prediction/1`` document (:func:`floor.predict`)."""

    rows_key = "predictions"
