"""Inserting thousands of new rows of one model that differ in a few columns only.

``bulk_create`` sends every field of every object through the field's own conversion
(``pre_save``, ``get_db_prep_save``): for 5,000 imported invitees that is 145,000 calls,
most of its time. An imported row differs from the next in a dozen columns; the other
seventeen (meeting, status, timestamps, empty tokens...) are the same for all. Here the
fields' own conversions run once on a template object for the shared values, and once per
distinct value for the columns that vary; the rows then go to PostgreSQL by ``COPY`` (to
other databases by one ``executemany``). The values stored are those ``bulk_create`` would store;
as with it, no signal is sent and ``save()`` is not called.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(template: models.Model, rows: Sequence[dict[str, Any]]) -> int:
    """Insert one row per item of ``rows``: the ``template``'s field values, with each
    item's own values (by field name or attname) in place of the template's. The template
    is not saved. Values must be hashable (each distinct one is converted once). Call inside
    a transaction; returns the number of rows inserted."""
    if not rows:
        return 0
    model = type(template)
    # Every column but an automatic primary key (AutoField covers the Big and Small ones).
    fields = [
        field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)
    ]
    position = {}
    for index, field in enumerate(fields):
        position[field.name] = position[field.attname] = index
    varying = {name for row in rows for name in row}
    unknown = sorted(varying - position.keys())
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(unknown)} to insert into.")
    shared = [
        field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields
    ]
    # Countries, roles, flags repeat down a list: each distinct value is converted once.
    converters = [(name, position[name], fields[position[name]], {}) for name in varying]
    values = []
    for row in rows:
        line = shared.copy()
        for name, index, field, converted in converters:
            if name not in row:
                continue
            value = row[name]
            if value not in converted:
                converted[value] = field.get_db_prep_save(value, connection)
            line[index] = converted[value]
        values.append(line)

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Table and column names come from the model's _meta, never from input.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                values,
            )
    return len(values)
