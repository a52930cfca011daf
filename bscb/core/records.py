"""A record's stored fields as a tuple: what the keys of fragments drawn from records digest
(bscb.reports.report.summary_key, bscb.core.admin_base.results_key)."""

from functools import cache
from operator import attrgetter

from django.db import models


def _stored_file_name(name: str):
    """A file field's stored name, read without the field's descriptor, which makes a new
    FieldFile each time a record is read from the database (a hundred a board page)."""

    def read(record):
        if name not in record.__dict__:  # deferred: read as any other field
            return getattr(record, name).name
        value = record.__dict__[name]
        return getattr(value, "name", value)

    return read


@cache
def _getter(model):
    fields = model._meta.concrete_fields
    if any(isinstance(field, models.FileField) for field in fields):
        readers = [
            _stored_file_name(field.attname)
            if isinstance(field, models.FileField)
            else attrgetter(field.attname)
            for field in fields
        ]
        return lambda record: tuple(read(record) for read in readers)
    names = [field.attname for field in fields]
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        return lambda record: (getattr(record, names[0]),)
    return attrgetter(*names)


def record_fields(record) -> tuple:
    """Every stored field of a record, in the model's order (a file field: its stored name)."""
    return _getter(type(record))(record)
