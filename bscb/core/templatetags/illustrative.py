from django import template

from bscb.core.illustrative import illustrative_keys

register = template.Library()


@register.filter(name="illustrative_keys")
def illustrative_keys_filter(records) -> str:
    """`{% with keys=row.records|illustrative_keys %}`: see bscb.core.illustrative."""
    if records is None:
        return ""
    if not isinstance(records, (list, tuple, set)) and hasattr(records, "_meta"):
        records = [records]
    return illustrative_keys(records)
