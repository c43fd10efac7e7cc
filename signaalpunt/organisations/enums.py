"""Kinds of partner organisation."""

from signaalpunt.core.labels import LabelledEnum, _l


class PartnerKind(LabelledEnum):
    PARCEL_CARRIER = "parcel_carrier", _l("Pakketvervoerder")
    RETAIL = "retail", _l("Supermarkt of winkel")
    BANK = "bank", _l("Bank")
    PHARMACY = "pharmacy", _l("Apotheek")
    HOUSING = "housing", _l("Woningcorporatie")
    CARE = "care", _l("Zorg of welzijn")
    OTHER = "other", _l("Anders")
