"""What a request may bring: form-encoded bodies within the size limit, and no NUL characters.

Checked before anything else reads the request (CSRF, rate limits, views), so a JSON body or a body
over the limit is refused plainly instead of half-read.
"""

from flask import Flask, abort, request

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def check_request_input() -> None:
    """415 for a body that is not a form, 413 for one over the limit (chunked too), 400 for a NUL in the address."""
    if request.method in BODY_METHODS:
        if request.content_length is None and "wsgi.input_terminated" in request.environ:
            # Chunked: read it whole now (kept for the form parser), so a body over the limit is refused
            # instead of being cut off at the limit and processed.
            request.get_data(cache=True, parse_form_data=False)
        has_body = bool(request.content_length) or bool(request.get_data(cache=True, parse_form_data=False))
        if has_body and request.mimetype not in FORM_TYPES:
            abort(415)
    # PostgreSQL cannot store a NUL, and no person types one; form fields have theirs removed (forms.BaseForm).
    if "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(check_request_input)
