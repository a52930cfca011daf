"""Spreadsheets we hand out: no cell may run as a formula when someone opens the file in Excel."""

from io import StringIO

from defusedcsv import csv
from import_export.formats import base_formats

# defusedcsv writes a cell beginning =, +, -, @, | or % with a leading '. A spreadsheet also
# skips a leading tab or carriage return before reading a formula (OWASP's CSV injection list).
LEADING_BLANKS = ("\t", "\r")


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(LEADING_BLANKS) else value


class _Writer:
    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs):
    """A CSV writer whose cells never run as formulas when the file is opened in Excel."""
    return _Writer(stream, **kwargs)


class FormulaSafeCSV(base_formats.CSV):
    """import-export's CSV format, written by defusedcsv."""

    def export_data(self, dataset, **kwargs):
        stream = StringIO()
        out = writer(stream)
        if dataset.headers:
            out.writerow(dataset.headers)
        out.writerows(dataset)
        return stream.getvalue()
