"""A page sent while it is rendered, for documents as long as a history can grow (a request to see one's data):
the first bytes leave at once and the worker holds one chunk, not the whole page.

Flask ends the request's contexts, and so its database session, before the body is sent; the body then runs in
a session of its own. So what the page reads is loaded by ``contents`` as the page starts to go out, and the
logged-in user (whom the base template shows) joins that session.
"""

from collections.abc import Callable, Iterator

import sqlalchemy as sa
from flask import Response, stream_template, stream_with_context
from flask_login import current_user

from signaalpunt.extensions import db

# Jinja yields every literal and expression apart; one write per piece would cost more than the piece.
CHUNK_CHARACTERS = 16_384


def _in_chunks(pieces: Iterator[str]) -> Iterator[str]:
    chunk: list[str] = []
    size = 0
    for piece in pieces:
        chunk.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARACTERS:
            yield "".join(chunk)
            chunk, size = [], 0
    yield "".join(chunk)


def streamed_page(template: str, contents: Callable[[], dict[str, object]]) -> Response:
    """The template rendered as it is sent, with the context ``contents`` loads then; iterators in it are read as
    the page reaches them."""

    def document() -> Iterator[str]:
        user = current_user._get_current_object()
        if sa.inspect(user, raiseerr=False) is not None:  # a stored user, not the anonymous one
            db.session.add(user)
        yield from stream_template(template, **contents())

    return Response(stream_with_context(_in_chunks(document())), content_type="text/html; charset=utf-8")
