"""Who may open a staff page and the object it names: logged in, with one of the roles a view names, and an
object of their own team; every refusal audited."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, request
from flask_login import current_user, login_required

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role

P = ParamSpec("P")
R = TypeVar("R")
Found = TypeVar("Found")


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Log in first; then refuse (403) anyone whose role is not one of ``roles``."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_user.role not in roles:
                audit.record_refusal(f"page.{request.endpoint}", "page", request.path)
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def found_or_refused(found: Found | None, object_type: str, key: object) -> Found:
    """The object a staff page names, when the look-up (scoped to the person's team) found it; otherwise the
    refusal is audited and the answer is 404, the same for another team's object as for one that does not exist."""
    if found is None:
        audit.record_refusal(f"page.{request.endpoint}", object_type, str(key))
        abort(404)
    return found
