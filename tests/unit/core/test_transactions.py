import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.core.database import write_transaction
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner


def test_a_write_transaction_refuses_to_carry_changes_made_before_it(app: Flask) -> None:
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    with pytest.raises(RuntimeError, match="changes made before it"), write_transaction():
        pass
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == 0, "nothing was committed unseen"


def test_a_statement_that_wrote_counts_as_an_uncommitted_change(app: Flask) -> None:
    db.session.execute(sa.update(Partner).values(active=False))
    with pytest.raises(RuntimeError), write_transaction():
        pass
    db.session.rollback()
    with write_transaction():
        db.session.add(Partner(name="Buurtsuper", slug="buurtsuper", kind="retail"))
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == 1
