"""Test data: reports as a person would fill them in, and stored signals."""

from signaalpunt.enums import ReporterRole
from signaalpunt.intake.service import Report, submit_report
from signaalpunt.models import Signal

VALID_FORM = {
    "reporter_role": "courier",
    "postcode": "4531 AB",
    "house_number": "12",
    "description": "De brievenbus puilt al twee weken uit en de gordijnen blijven dicht.",
}


def report_form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """The fields a courier fills in for a quick, valid report, with ``changes`` on top."""
    return {**VALID_FORM, **changes}


def make_signal(**fields: object) -> Signal:
    """A stored signal, made through the same service the form uses."""
    values = {
        "reporter_role": ReporterRole.NEIGHBOUR,
        "description": "Buurvrouw komt al weken niet meer buiten.",
        "postcode": "4531 AB",
        "house_number": 7,
        **fields,
    }
    return submit_report(Report(**values), submission_token=None)
