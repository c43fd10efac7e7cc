"""What kind of help an initiative gives, whom it is for, and the languages spoken there."""

from signaalpunt.core.labels import LabelledEnum, _l


class InitiativeKind(LabelledEnum):
    BUDDY = "buddy", _l("Maatjesproject")
    WELFARE = "welfare", _l("Welzijn of wijkteam")
    ACTIVITIES = "activities", _l("Activiteiten of dagbesteding")
    CARER_SUPPORT = "carer_support", _l("Mantelzorgondersteuning")
    DEBT_HELP = "debt_help", _l("Schuldhulp")
    CLUB = "club", _l("Sport- of cultuurvereniging")
    FAITH = "faith", _l("Kerk of moskee")
    VOLUNTEERS = "volunteers", _l("Vrijwilligerscentrale")
    RESIDENTS = "residents", _l("Bewonersvereniging")
    OTHER = "other", _l("Anders")


class TargetGroup(LabelledEnum):
    EVERYONE = "everyone", _l("Iedereen")
    OLDER = "older", _l("Ouderen")
    YOUNG = "young", _l("Jongeren")
    MIGRANTS = "migrants", _l("Nieuwkomers en migranten")
    CARERS = "carers", _l("Mantelzorgers")
    DISABLED = "disabled", _l("Mensen met een beperking")


class SpokenLanguage(LabelledEnum):
    DUTCH = "nl", _l("Nederlands")
    ENGLISH = "en", _l("Engels")
    GERMAN = "de", _l("Duits")
    POLISH = "pl", _l("Pools")
    TURKISH = "tr", _l("Turks")
    ARABIC = "ar", _l("Arabisch")
    BERBER = "ber", _l("Berbers")
    UKRAINIAN = "uk", _l("Oekraïens")
    TIGRINYA = "ti", _l("Tigrinya")
    PAPIAMENTO = "pap", _l("Papiaments")
