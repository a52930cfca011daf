"""Spreadsheets we hand out: no cell may run as a formula when someone opens the file in Excel."""

from io import StringIO

from defusedcsv import csv
from import_export.formats import base_formats

writer = csv.writer  # a cell beginning =, +, -, @, | or % is written with a leading '


class FormulaSafeCSV(base_formats.CSV):
    """import-export's CSV format, written by defusedcsv."""

    def export_data(self, dataset, **kwargs):
        stream = StringIO()
        out = writer(stream)
        if dataset.headers:
            out.writerow(dataset.headers)
        out.writerows(dataset)
        return stream.getvalue()
