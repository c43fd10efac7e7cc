"""``/healthz`` for load balancers and monitoring: 200 when the database answers and takes a write, else 503.

A write, not only a read: a full disk or a database that became read-only still answers a ``SELECT``,
while every report would fail.
"""

import logging

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug import Response

from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.models import HealthCheck
from signaalpunt.extensions import db, limiter

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.route("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as error:
        return _unhealthy("unreachable", error)
    try:
        with write_transaction():
            db.session.execute(sa.update(HealthCheck).values(checked_at=utcnow()))
    except SQLAlchemyError as error:
        return _unhealthy("not writable", error)
    return jsonify(status="ok", database="ok"), 200


def _unhealthy(state: str, error: SQLAlchemyError) -> tuple[Response, int]:
    db.session.rollback()
    logger.error("Health check: database %s (%s)", state, type(error).__name__)
    return jsonify(status="unavailable", database=state), 503
