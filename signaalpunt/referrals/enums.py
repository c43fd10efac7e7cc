"""What an initiative answers to a warm handover, and what the worker hears when she calls back."""

from signaalpunt.core.labels import LabelledEnum, _l


class HandoverAnswer(LabelledEnum):
    CONTACT_MADE = "contact_made", _l("Contact gelegd")
    COULD_NOT_HELP = "could_not_help", _l("Kon niet helpen")


class Landed(LabelledEnum):
    YES = "yes", _l("Ja, de persoon krijgt hulp")
    PARTLY = "partly", _l("Gedeeltelijk")
    NO = "no", _l("Nee")
