"""The fixed choices about signals, each with its Dutch label; forms and models both take them from here."""

from signaalpunt.core.labels import LabelledEnum, _l


class SignalStatus(LabelledEnum):
    NEW = "new", _l("Nieuw")
    ASSIGNED = "assigned", _l("Toegewezen")
    IN_PROGRESS = "in_progress", _l("In behandeling")
    CLOSED = "closed", _l("Afgerond")
    DUPLICATE = "duplicate", _l("Dubbele melding")
    NOT_PURSUED = "not_pursued", _l("Niet opgepakt")

    # The groups, defined here only: the board, figures, retention and the rules all ask these.
    @classmethod
    def open_statuses(cls) -> tuple["SignalStatus", ...]:
        """Still being worked on: new, assigned, in progress."""
        return (cls.NEW, cls.ASSIGNED, cls.IN_PROGRESS)

    @classmethod
    def ended_statuses(cls) -> tuple["SignalStatus", ...]:
        """Finished with an outcome or a reason: closed, not pursued (a duplicate ends with its primary)."""
        return (cls.CLOSED, cls.NOT_PURSUED)

    @classmethod
    def not_followed_up(cls) -> tuple["SignalStatus", ...]:
        """Never followed up on its own: not pursued, or a duplicate of another signal."""
        return (cls.NOT_PURSUED, cls.DUPLICATE)

    @property
    def is_open(self) -> bool:
        return self in SignalStatus.open_statuses()


class PublicStatus(LabelledEnum):
    """The coarse status a reporter may see; never more than this."""

    RECEIVED = "received", _l("Ontvangen")
    PICKED_UP = "picked_up", _l("Opgepakt")
    COMPLETED = "completed", _l("Afgerond")


class Channel(LabelledEnum):
    WEB = "web", _l("Webformulier")
    PHONE = "phone", _l("Telefoon")
    API = "api", _l("Partner-app")


class ReporterRole(LabelledEnum):
    COURIER = "courier", _l("Pakketbezorger of koerier")
    BUSINESS = "business", _l("Winkel of bedrijf")
    FINANCIAL_ADVISER = "financial_adviser", _l("Financieel adviseur")
    CARE_PROFESSIONAL = "care_professional", _l("Zorg- of hulpverlener")
    NEIGHBOUR = "neighbour", _l("Buurtbewoner, kennis of familie")
    OTHER = "other", _l("Anders")
    # Someone who reports about themselves, through the short form of their own.
    SELF = "self", _l("Zelfmelding")

    @classmethod
    def about_someone_else(cls) -> tuple["ReporterRole", ...]:
        """The roles the main form offers: everyone but the person themselves."""
        return tuple(role for role in cls if role != cls.SELF)


class CallTime(LabelledEnum):
    """When someone who reported about themselves would rather be called."""

    MORNING = "morning", _l("’s Ochtends")
    AFTERNOON = "afternoon", _l("’s Middags")
    EVENING = "evening", _l("’s Avonds (tot 20.00 uur)")
    ANY = "any", _l("Maakt niet uit")


class Observation(LabelledEnum):
    POST_PILING_UP = "post_piling_up", _l("Post of kranten stapelen zich op")
    CURTAINS_CLOSED = "curtains_closed", _l("Gordijnen blijven dicht")
    NEGLECTED_APPEARANCE = "neglected_appearance", _l("Ziet er steeds verwaarloosder uit")
    NEGLECTED_HOME = "neglected_home", _l("Huis of tuin raakt verwaarloosd")
    WITHDRAWN = "withdrawn", _l("Komt nauwelijks nog buiten")
    NO_VISITORS = "no_visitors", _l("Krijgt nooit bezoek")
    DAY_NIGHT = "day_night", _l("Overdag nog in nachtkleding")
    SEEKS_CONTACT = "seeks_contact", _l("Zoekt heel vaak een praatje, bijvoorbeeld in de winkel")
    MONEY_WORRIES = "money_worries", _l("Lijkt geldzorgen te hebben")
    SAYS_LONELY = "says_lonely", _l("Zegt zelf zich eenzaam te voelen")
    OTHER = "other", _l("Iets anders")


class AgeBand(LabelledEnum):
    UNDER_30 = "under_30", _l("Jonger dan 30")
    FROM_30 = "30_49", _l("30 tot 50")
    FROM_50 = "50_64", _l("50 tot 65")
    FROM_65 = "65_74", _l("65 tot 75")
    FROM_75 = "75_84", _l("75 tot 85")
    FROM_85 = "85_plus", _l("85 of ouder")


class PersonAwareness(LabelledEnum):
    YES = "yes", _l("Ja")
    NO = "no", _l("Nee")
    UNKNOWN = "unknown", _l("Weet ik niet")


class Outcome(LabelledEnum):
    REFERRED = "referred", _l("Doorverwezen")
    NO_HELP_NEEDED = "no_help_needed", _l("Geen hulp nodig")
    DECLINED = "declined", _l("Wil geen hulp")
    UNREACHABLE = "unreachable", _l("Niet bereikbaar")
    ALREADY_KNOWN = "already_known", _l("Al in beeld bij hulpverlening")
    MOVED_OR_DECEASED = "moved_or_deceased", _l("Verhuisd of overleden")
    OTHER = "other", _l("Anders")


class ReferralTarget(LabelledEnum):
    BUDDY = "buddy", _l("Maatje of buddy")
    WELFARE = "welfare", _l("Welzijnswerk of wijkteam")
    GP = "gp", _l("Huisarts")
    HOME_CARE = "home_care", _l("Thuiszorg")
    ACTIVITIES = "activities", _l("Activiteiten of dagbesteding")
    CARER_SUPPORT = "carer_support", _l("Mantelzorgondersteuning")
    DEBT_HELP = "debt_help", _l("Schuldhulp")
    OTHER = "other", _l("Anders")


class RejectionReason(LabelledEnum):
    SPAM = "spam", _l("Spam of nepmelding")
    OUTSIDE_AREA = "outside_area", _l("Buiten ons werkgebied")
    NO_CONCERN = "no_concern", _l("Geen reden tot zorg")


class ContactMethod(LabelledEnum):
    HOME_VISIT = "home_visit", _l("Huisbezoek")
    PHONE = "phone", _l("Telefoon")
    API = "api", _l("Partner-app")
    LETTER = "letter", _l("Brief")
    OTHER = "other", _l("Anders")


class EventKind(LabelledEnum):
    REPORTED = "reported", _l("Melding ontvangen")
    ASSIGNED = "assigned", _l("Toegewezen")
    REASSIGNED = "reassigned", _l("Anders toegewezen")
    CONTACT_ATTEMPT = "contact_attempt", _l("Contactpoging")
    NOTE = "note", _l("Notitie")
    CLOSED = "closed", _l("Afgerond")
    REOPENED = "reopened", _l("Heropend")
    MARKED_DUPLICATE = "marked_duplicate", _l("Samengevoegd als dubbele melding")
    DUPLICATE_LINKED = "duplicate_linked", _l("Dubbele melding gekoppeld")
    REJECTED = "rejected", _l("Niet opgepakt")
    TRANSFERRED = "transferred", _l("Overgedragen aan een ander team")
    AREA_SET = "area_set", _l("In een werkgebied geplaatst")
    MARKED_URGENT = "marked_urgent", _l("Urgent gemaakt")
    DUPLICATE_UNLINKED = "duplicate_unlinked", _l("Koppeling als dubbele melding ongedaan gemaakt")
    CONSENT_GIVEN = "consent_given", _l("Toestemming vastgelegd")
    CONSENT_WITHDRAWN = "consent_withdrawn", _l("Toestemming ingetrokken")
    REFERRED = "referred", _l("Doorverwezen")
    HANDOVER_ANSWERED = "handover_answered", _l("Antwoord van het initiatief")
    FOLLOWED_UP = "followed_up", _l("Nagebeld")
    CALL_SENT = "call_sent", _l("Burenoproep verstuurd")
    CALL_WIDENED = "call_widened", _l("Burenoproep naar een groter gebied")
    CALL_CLOSED = "call_closed", _l("Burenoproep gesloten")
    NETWORK_FORMED = "network_formed", _l("Burennetwerk gevormd")
    NETWORK_FOLLOWED_UP = "network_followed_up", _l("Nagebeld over het burennetwerk")
    VOLUNTEER_WITHDRAWN = "volunteer_withdrawn", _l("Vrijwilliger afgemeld")
