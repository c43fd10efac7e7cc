"""The services a partner app can report to, described as Open311 GeoReport v2 service definitions whose
attributes are the web form's own questions: the same fields, choices and rules."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired

from signaalpunt.forms.report import ReportForm, SelfReportForm


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    form_class: type
    # The form's questions offered as attributes; the rest come from the standard's own fields, or the key.
    attributes: tuple[str, ...]
    keywords: str


SERVICES = (
    Service(
        "zorg-om-ander",
        _l("Zorg om iemand anders"),
        _l("Een zorg om iemand die eenzaam lijkt: wat u zag, en waar."),
        ReportForm,
        (
            "reporter_role",
            "postcode",
            "house_number",
            "house_number_suffix",
            "street",
            "town",
            "place_description",
            "observations",
            "person_name",
            "age_band",
            "person_aware",
            "acute_danger",
            "keep_informed",
        ),
        "eenzaamheid,zorg,melding",
    ),
    Service(
        "zorg-om-mezelf",
        _l("Zorg om uzelf"),
        _l("Iemand die zich vaak alleen voelt, vraagt zelf om contact."),
        SelfReportForm,
        ("postcode", "call_time", "language"),
        "eenzaamheid,zelfmelding",
    ),
)


def service_for(code: str) -> Service | None:
    return next((service for service in SERVICES if service.code == code), None)


def _datatype(field: Field) -> str:
    if isinstance(field, SelectMultipleField):
        return "multivaluelist"
    if isinstance(field, (SelectField, RadioField, BooleanField)):
        return "singlevaluelist"
    if isinstance(field, TextAreaField):
        return "text"
    return "string"


def _values(field: Field) -> list[dict[str, str]]:
    if isinstance(field, BooleanField):
        return [{"key": "true", "name": str(_l("Ja"))}, {"key": "false", "name": str(_l("Nee"))}]
    choices = getattr(field, "choices", None) or []
    return [{"key": str(choice.value), "name": str(choice.label)} for choice in choices if str(choice.value)]


def definition(service: Service) -> dict:
    """The service definition: each attribute a question of the form, in the form's order."""
    form = service.form_class(formdata=None, meta={"csrf": False})
    if hasattr(form, "offer_municipalities"):
        form.offer_municipalities([])
    attributes = []
    for order, name in enumerate(service.attributes, start=1):
        field = form[name]
        attribute = {
            "variable": True,
            "code": name,
            "datatype": _datatype(field),
            "required": any(isinstance(v, InputRequired) for v in field.validators),
            "datatype_description": str(field.description or ""),
            "order": order,
            "description": str(field.label.text),
        }
        values = _values(field) if attribute["datatype"].endswith("list") else []
        if values:
            attribute["values"] = values
        attributes.append(attribute)
    return {"service_code": service.code, "attributes": attributes}


def summary(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": str(service.name),
        "description": str(service.description),
        "metadata": True,
        "type": "realtime",
        "keywords": service.keywords,
        "group": "Signaalpunt tegen Eenzaamheid",
    }
