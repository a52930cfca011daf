"""A record's stored fields as a tuple: what the keys of fragments drawn from records digest
(bscb.reports.report.summary_key, bscb.core.admin_base.results_key)."""

from functools import cache
from operator import attrgetter


@cache
def _getter(model):
    names = [field.attname for field in model._meta.concrete_fields]
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        return lambda record: (getattr(record, names[0]),)
    return attrgetter(*names)


def record_fields(record) -> tuple:
    """Every stored field of a record, in the model's order."""
    return _getter(type(record))(record)
