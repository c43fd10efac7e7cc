"""Short names in links (a partner's ``?via=``, a team's name in the API): lower-case words joined by hyphens."""

import re

from flask_babel import gettext as _

from signaalpunt.core.errors import DomainError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_slug(slug: str, taken: bool) -> None:
    """Refuse a short name that cannot stand in a link, or that ``taken`` says another one already has."""
    if not SLUG.match(slug):
        raise DomainError(
            _("Gebruik voor de korte naam kleine letters, cijfers en streepjes, zoals snelpakket."), field="slug"
        )
    if taken:
        raise DomainError(_("Deze korte naam is al in gebruik."), field="slug")
