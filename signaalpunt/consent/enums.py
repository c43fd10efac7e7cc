"""What a person can agree to, how the agreement was given, and which of their details may be shared."""

from signaalpunt.core.labels import LabelledEnum, _l


class ConsentKind(LabelledEnum):
    REFERRAL = "referral", _l("Doorverwezen worden")
    SHARE = "share", _l("Gegevens delen met een initiatief")
    VOLUNTEERS = "volunteers", _l("Benaderd worden door vrijwilligers")


class ConsentMethod(LabelledEnum):
    IN_PERSON = "in_person", _l("Persoonlijk")
    PHONE = "phone", _l("Telefonisch")
    LETTER = "letter", _l("Per brief")


class SharedDetail(LabelledEnum):
    """What an initiative may be told besides the worker's message; the name of the person and their address."""

    NAME = "name", _l("Naam")
    ADDRESS = "address", _l("Adres")
