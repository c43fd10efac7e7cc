"""``make audit``'s access-control sweep knows, for every staff route, who may open it (audit/policy.py): a new route
without an expectation fails here at once, not only when someone runs the audit."""

from flask import Flask

from audit import policy


def test_every_staff_route_has_an_expectation_in_the_audit(app: Flask) -> None:
    staff = {rule.endpoint for rule in app.url_map.iter_rules() if policy.is_staff_endpoint(rule.endpoint)}
    assert staff - policy.ALLOWED.keys() == set()
    assert policy.ALLOWED.keys() - staff == set(), "expectations for routes that no longer exist"
