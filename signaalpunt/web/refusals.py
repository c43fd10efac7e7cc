"""Where a refusal by the rules (``DomainError``) appears on the page, and saving a form with one helper."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug import Response

from signaalpunt.accounts import audit
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db

Saved = TypeVar("Saved")


def show_refusal(error: DomainError, form: FlaskForm | None = None) -> int:
    """Undo what the request changed, and put the reason next to the field it names, else at the top of the
    page. Returns the status code for the page shown again (422, or 409 for a stale form)."""
    db.session.rollback()
    if form is not None and error.field is not None and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
    return error.status


def save_form(
    form: FlaskForm,
    save: Callable[[], Saved],
    audited: Callable[[Saved], tuple[str, str, str]],
    done: Callable[[Saved], str],
    target: str,
) -> Response | None:
    """Save through the rules, audit what was saved, say so and go to ``target``; ``None`` when the rules
    refuse (the reason is then on the form, which the caller shows again). The request commits once, after."""
    try:
        saved = save()
        db.session.flush()
    except DomainError as error:
        show_refusal(error, form)
        return None
    action, object_type, object_key = audited(saved)
    audit.record(action, object_type=object_type, object_key=object_key)
    flash(done(saved))
    return redirect(target)
