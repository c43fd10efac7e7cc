"""Staff roles."""

from signaalpunt.core.labels import LabelledEnum, _l


class Role(LabelledEnum):
    ADMIN = "admin", _l("Functioneel beheerder")
    COORDINATOR = "coordinator", _l("Coördinator")
    WORKER = "worker", _l("Maatschappelijk werker")
    VIEWER = "viewer", _l("Beleidsmedewerker (alleen cijfers)")
