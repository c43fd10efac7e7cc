"""The social map as a spreadsheet: export, a template to fill in, and an import that is checked row by row
and stored only when every row is right."""

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from signaalpunt.core.cells import neutralise, read_back
from signaalpunt.core.labels import LabelledEnum
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage, TargetGroup
from signaalpunt.socialmap.models import Initiative
from signaalpunt.socialmap.service import InitiativeDetails, problems_with, save_initiative, team_initiatives

# Dutch headers, as coordinators read them in Excel; the import expects exactly these.
HEADERS = (
    "naam",
    "soort",
    "aanbod",
    "postcodes",
    "talen",
    "doelgroepen",
    "contactpersoon",
    "e-mail",
    "telefoon",
    "website",
    "adres",
    "warme overdracht",
    "netwerkpartner",
    "e-mail oproepen",
    "actief",
)
WHOLE_MUNICIPALITY = "hele gemeente"
YES, NO = "ja", "nee"
EXAMPLE = (
    "Maatjesproject De Brug",
    InitiativeKind.BUDDY.message,
    "Een vaste vrijwilliger die wekelijks op bezoek komt.",
    "4531-4536, 4538",
    "Nederlands, Arabisch",
    "Ouderen, Nieuwkomers en migranten",
    "Anja de Wit",
    "info@debrug.example.nl",
    "0115 123 456",
    "https://debrug.example.nl",
    "Kerkstraat 4, Zierikzee",
    YES,
    NO,
    "",
    YES,
)


def _listed(members: list[LabelledEnum]) -> str:
    return ", ".join(member.message for member in members)


def _row(initiative: Initiative) -> tuple[str, ...]:
    return (
        initiative.name,
        initiative.kind.message,
        initiative.offer,
        WHOLE_MUNICIPALITY if initiative.whole_municipality else initiative.ranges_text,
        _listed(initiative.spoken),
        _listed(initiative.groups),
        initiative.contact_name or "",
        initiative.email or "",
        initiative.phone or "",
        initiative.website or "",
        initiative.address or "",
        YES if initiative.warm_handover else NO,
        YES if initiative.network_partner else NO,
        initiative.call_email or "",
        YES if initiative.active else NO,
    )


def _sheet(rows: list[tuple[str, ...]]) -> str:
    # Semicolons and a byte-order mark: Dutch Excel opens it in columns, with its accents.
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return "\ufeff" + out.getvalue()


def export_sheet(organisation_id: int) -> str:
    return _sheet([_row(initiative) for initiative in team_initiatives(organisation_id)])


def template_sheet() -> str:
    return _sheet([EXAMPLE])


@dataclass
class RowReport:
    line: int
    name: str
    problems: list[str] = field(default_factory=list)
    updates: bool = False


@dataclass
class ImportReport:
    """What an import found: a problem with the file as a whole, or one report per row."""

    file_problem: str | None = None
    rows: list[RowReport] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.file_problem is None and not any(row.problems for row in self.rows)


def _members(enum_class: type[LabelledEnum], text: str, what: str, problems: list[str]) -> tuple:
    """Labels (any case) or codes, separated by commas."""
    known = {key.lower(): member for member in enum_class for key in (member.message, member.value)}
    found = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part.lower() not in known:
            problems.append(_("%(what)s: ‘%(part)s’ ken ik niet.", what=what, part=part))
            continue
        found.append(known[part.lower()])
    return tuple(found)


def _yes(text: str, what: str, problems: list[str]) -> bool:
    answer = text.strip().lower()
    if answer not in (YES, NO, ""):
        problems.append(_("%(what)s: vul ‘ja’ of ‘nee’ in.", what=what))
    return answer == YES


def _details(values: dict[str, str], problems: list[str]) -> InitiativeDetails:
    name = values["naam"].strip()
    if not name:
        problems.append(_("naam: vul de naam van het initiatief in."))
    kinds = _members(InitiativeKind, values["soort"], "soort", problems)
    if not values["soort"].strip():
        problems.append(_("soort: vul de soort in, zoals ‘%(example)s’.", example=InitiativeKind.BUDDY.message))
    places = values["postcodes"].strip()
    whole = places.lower() == WHOLE_MUNICIPALITY
    details = InitiativeDetails(
        name=name,
        kind=kinds[0] if kinds else InitiativeKind.OTHER,
        offer=values["aanbod"].strip()[:500],
        postcodes="" if whole else places,
        whole_municipality=whole,
        languages=_members(SpokenLanguage, values["talen"], "talen", problems) or (SpokenLanguage.DUTCH,),
        target_groups=_members(TargetGroup, values["doelgroepen"], "doelgroepen", problems) or (TargetGroup.EVERYONE,),
        contact_name=values["contactpersoon"].strip()[:120] or None,
        email=values["e-mail"].strip() or None,
        phone=values["telefoon"].strip() or None,
        website=values["website"].strip()[:200] or None,
        address=values["adres"].strip()[:200] or None,
        warm_handover=_yes(values["warme overdracht"], "warme overdracht", problems),
        network_partner=_yes(values["netwerkpartner"], "netwerkpartner", problems),
        call_email=values["e-mail oproepen"].strip() or None,
        active=_yes(values["actief"], "actief", problems) or not values["actief"].strip(),
    )
    problems += [error.message for error in problems_with(details)]
    return details


def check_sheet(data: bytes, organisation_id: int) -> tuple[ImportReport, list[InitiativeDetails]]:
    """Read an uploaded file: every row checked, duplicate names found; nothing stored."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _(
            "Het bestand is geen UTF-8. Sla het in Excel op als ‘CSV UTF-8 (gescheiden door lijstscheidingsteken)’."
        )
        return ImportReport(file_problem=message), []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [header.strip().lower() for header in reader.fieldnames or []]
    missing = [header for header in HEADERS if header not in headers]
    if missing:
        message = _("Deze kolommen ontbreken: %(columns)s. Gebruik het sjabloon.", columns=", ".join(missing))
        return ImportReport(file_problem=message), []
    existing = {initiative.name.lower() for initiative in team_initiatives(organisation_id)}
    report, found, seen = ImportReport(), [], {}
    for line, raw in enumerate(reader, start=2):
        values = {key.strip().lower(): read_back(value or "") for key, value in raw.items() if key is not None}
        problems: list[str] = []
        details = _details(values, problems)
        key = details.name.lower()
        if key and key in seen:
            problems.append(_("naam: staat ook in rij %(line)s.", line=seen[key]))
        seen.setdefault(key, line)
        report.rows.append(RowReport(line, details.name, problems, updates=key in existing))
        found.append(details)
    if not report.rows:
        report.file_problem = _("Het bestand heeft geen rijen onder de kolomnamen.")
    return report, found


def import_sheet(organisation_id: int, found: list[InitiativeDetails]) -> None:
    """Store every checked row: new names added, known names updated."""
    existing = {initiative.name.lower(): initiative for initiative in team_initiatives(organisation_id)}
    for details in found:
        save_initiative(organisation_id, existing.get(details.name.lower()), details)
