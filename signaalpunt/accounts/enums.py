"""Staff roles."""

from signaalpunt.core.labels import LabelledEnum, _l


class Role(LabelledEnum):
    ADMIN = "admin", _l("Functioneel beheerder")
    COORDINATOR = "coordinator", _l("Coördinator")
    WORKER = "worker", _l("Maatschappelijk werker")
    VIEWER = "viewer", _l("Beleidsmedewerker (alleen cijfers)")
    # Roles of the region, not of one team: they belong to no organisation and never see a signal.
    REGION_ADMIN = "region_admin", _l("Regiobeheerder")
    REGION_VIEWER = "region_viewer", _l("Beleidsmedewerker regio (alleen cijfers)")

    @property
    def is_regional(self) -> bool:
        return self in REGIONAL_ROLES

    @classmethod
    def team_roles(cls) -> tuple["Role", ...]:
        """The roles a team's administrator can give: everything but the region's own."""
        return tuple(role for role in cls if not role.is_regional)


REGIONAL_ROLES = frozenset({Role.REGION_ADMIN, Role.REGION_VIEWER})
