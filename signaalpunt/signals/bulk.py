"""Acting on several signals at once: each one goes through the workflow on its own, so one that changed in
the meantime is reported and the others are still done."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from signaalpunt.accounts import audit
from signaalpunt.accounts.models import User
from signaalpunt.core.errors import DomainError, StaleError
from signaalpunt.extensions import db
from signaalpunt.signals.queries import visible_signal
from signaalpunt.signals.workflow import assign_signal


@dataclass(frozen=True)
class BulkResult:
    reference: str
    done: bool
    message: str


def assign_many(actor: User, assignee: User, picked: list[tuple[str, int]]) -> list[BulkResult]:
    """Assign each (reference, version the coordinator saw) to ``assignee``; one result per signal."""
    results = []
    for reference, version in picked:
        signal = visible_signal(actor, reference)
        if signal is None:
            results.append(
                BulkResult(reference, False, _("%(reference)s: deze melding is er niet.", reference=reference))
            )
            continue
        try:
            # Each in a savepoint: a refusal undoes that one signal's step only.
            with db.session.begin_nested():
                assign_signal(signal, actor, assignee, version)
                db.session.flush()
        except (StaleError, StaleDataError):
            message = _(
                "%(reference)s: iemand anders heeft deze melding intussen gewijzigd; niet toegewezen.",
                reference=reference,
            )
            results.append(BulkResult(reference, False, message))
        except DomainError as error:
            results.append(BulkResult(reference, False, f"{reference}: {error.message}"))
        else:
            audit.record("signal.assign", object_type="signal", object_key=reference)
            message = _("%(reference)s is toegewezen aan %(name)s.", reference=reference, name=assignee.name)
            results.append(BulkResult(reference, True, message))
    return results
