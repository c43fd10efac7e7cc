"""Column types shared by the models."""

import sqlalchemy as sa

from signaalpunt.core.labels import LabelledEnum


def enum_column(enum_class: type[LabelledEnum]) -> sa.Enum:
    """Store an enum by its value in a plain string column, portable across SQLite and PostgreSQL."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
