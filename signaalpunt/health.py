"""``/healthz`` for load balancers and monitoring: 200 when the database answers, 503 when it does not."""

import logging

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug import Response

from signaalpunt.extensions import db, limiter

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.route("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        logger.error("Health check: database unreachable (%s)", type(error).__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
