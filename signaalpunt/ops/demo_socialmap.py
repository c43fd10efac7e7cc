"""A made-up but realistic social map for each demo municipality: about fifteen initiatives of every kind, the
churches, clubs, residents and volunteer centre among them network partners for calls for good neighbours."""

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation
from signaalpunt.socialmap.enums import InitiativeKind as Kind
from signaalpunt.socialmap.enums import SpokenLanguage as Lang
from signaalpunt.socialmap.enums import TargetGroup as Group
from signaalpunt.socialmap.service import InitiativeDetails, save_initiative, team_initiatives

# (name with {town}, kind, what it offers, languages, for whom, warm handover, only in the first area)
INITIATIVES = (
    (
        "Maatjesproject {town}",
        Kind.BUDDY,
        "Een vaste vrijwilliger komt wekelijks op bezoek of gaat mee wandelen.",
        (Lang.DUTCH,),
        (Group.OLDER,),
        True,
        False,
    ),
    (
        "Welzijn {town}, wijkteam",
        Kind.WELFARE,
        "Ouderenadviseurs en wijkwerkers; huisbezoek binnen een week.",
        (Lang.DUTCH, Lang.ENGLISH, Lang.TURKISH),
        (Group.EVERYONE,),
        True,
        False,
    ),
    (
        "Ontmoetingscentrum De Schakel",
        Kind.ACTIVITIES,
        "Koffieochtenden, samen eten op donderdag, creatieve middagen.",
        (Lang.DUTCH,),
        (Group.OLDER,),
        True,
        True,
    ),
    (
        "Dagbesteding Het Anker",
        Kind.ACTIVITIES,
        "Dagbesteding voor mensen met beginnende geheugenproblemen.",
        (Lang.DUTCH,),
        (Group.OLDER, Group.DISABLED),
        False,
        False,
    ),
    (
        "Mantelzorgpunt {town}",
        Kind.CARER_SUPPORT,
        "Steun, lotgenotengroepen en respijtzorg voor mantelzorgers.",
        (Lang.DUTCH,),
        (Group.CARERS,),
        True,
        False,
    ),
    (
        "Schuldhulp {town}",
        Kind.DEBT_HELP,
        "Hulp bij brieven, betalingsachterstanden en een plan met schuldeisers.",
        (Lang.DUTCH, Lang.ARABIC, Lang.POLISH),
        (Group.EVERYONE,),
        True,
        False,
    ),
    (
        "Thuisadministratie Samen",
        Kind.DEBT_HELP,
        "Vrijwilligers helpen thuis met de post en de administratie.",
        (Lang.DUTCH,),
        (Group.EVERYONE,),
        False,
        False,
    ),
    (
        "Wandelclub De Stappers",
        Kind.CLUB,
        "Elke dinsdag en vrijdag een rustige wandeling van een uur.",
        (Lang.DUTCH,),
        (Group.OLDER,),
        False,
        True,
    ),
    (
        "Zangkoor Vrolijke Noten",
        Kind.CLUB,
        "Zingen op woensdagavond; geen ervaring nodig.",
        (Lang.DUTCH,),
        (Group.EVERYONE,),
        False,
        False,
    ),
    (
        "Gymnastiek voor 55-plussers",
        Kind.CLUB,
        "Bewegen op muziek in het buurthuis, twee keer per week.",
        (Lang.DUTCH,),
        (Group.OLDER,),
        False,
        False,
    ),
    (
        "Protestantse Gemeente {town}, bezoekwerk",
        Kind.FAITH,
        "Bezoekers uit de kerk komen langs, ook bij wie niet gelooft.",
        (Lang.DUTCH,),
        (Group.EVERYONE,),
        True,
        False,
    ),
    (
        "Moskee Al Fath, ouderencontact",
        Kind.FAITH,
        "Contactmiddag voor oudere mannen en vrouwen, met thee.",
        (Lang.DUTCH, Lang.ARABIC, Lang.TURKISH, Lang.BERBER),
        (Group.OLDER, Group.MIGRANTS),
        True,
        False,
    ),
    (
        "Vrijwilligerscentrale {town}",
        Kind.VOLUNTEERS,
        "Zelf vrijwilliger worden: iets betekenen geeft ook contact.",
        (Lang.DUTCH, Lang.ENGLISH),
        (Group.EVERYONE,),
        True,
        False,
    ),
    (
        "Taalcafé {town}",
        Kind.ACTIVITIES,
        "Nederlands oefenen bij een kop koffie, elke zaterdag.",
        (Lang.DUTCH, Lang.ENGLISH, Lang.ARABIC, Lang.TIGRINYA, Lang.UKRAINIAN),
        (Group.MIGRANTS,),
        True,
        True,
    ),
    (
        "Bewonersvereniging Het Centrum",
        Kind.RESIDENTS,
        "Buurtkoffie, burenhulp en een buurtapp; kent de straat.",
        (Lang.DUTCH,),
        (Group.EVERYONE,),
        False,
        True,
    ),
    (
        "Jongerenwerk {town}",
        Kind.WELFARE,
        "Jongerenwerkers voor wie zich afgesloten voelt of vastloopt.",
        (Lang.DUTCH, Lang.ENGLISH),
        (Group.YOUNG,),
        True,
        False,
    ),
)


# Churches, clubs, residents and the volunteer centre forward calls for good neighbours.
NETWORK_KINDS = (Kind.FAITH, Kind.CLUB, Kind.RESIDENTS, Kind.VOLUNTEERS)


def load_demo_social_map() -> int:
    """Fill the social map of every demo team that has none yet; returns how many initiatives were added.
    Does not commit."""
    added = 0
    for team in db.session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        if team.slug not in ("terneuzen", "goeree-overflakkee") or team_initiatives(team.id):
            continue
        town = "Terneuzen" if team.slug == "terneuzen" else "Goeree-Overflakkee"
        first_area = db.session.scalar(sa.select(Area).where(Area.organisation_id == team.id).order_by(Area.id))
        for name, kind, offer, languages, groups, warm, local in INITIATIVES:
            slug = name.format(town=town).lower().replace(" ", "").replace(",", "")[:30]
            details = InitiativeDetails(
                name=name.format(town=town),
                kind=kind,
                offer=offer,
                postcodes=first_area.ranges_text if local and first_area else "",
                whole_municipality=not (local and first_area),
                languages=languages,
                target_groups=groups,
                contact_name="Coördinator vrijwilligers",
                email=f"contact@{slug}.example.nl",
                phone="0115 000 200" if team.slug == "terneuzen" else "0187 000 200",
                website=f"https://{slug}.example.nl",
                address=f"Dorpsstraat {added + 1}, {town}",
                warm_handover=warm,
                network_partner=kind in NETWORK_KINDS,
            )
            save_initiative(team.id, None, details)
            added += 1
    return added
