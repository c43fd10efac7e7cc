"""Who may open which staff page, written down from DESIGN.md's "who sees what" rather than read from the code, so
that the sweep in ``access_control`` tests the code against the design. A staff route missing here is itself a
finding: each new route gets its expectation before the audit passes."""

from signaalpunt.accounts.enums import Role

# Not staff pages: public, token-guarded (the token is the key) or the login itself.
PUBLIC_BLUEPRINTS = frozenset({"intake", "volunteers", "initiatives", "open311", "auth", "health"})
PUBLIC_ENDPOINTS = frozenset({"static", "favicon", "robots"})

# Taking a step in a signal (and opening the form for one).
CASEWORK = frozenset({Role.WORKER, Role.COORDINATOR})
# The administrator oversees the team's signals (reads the board, a signal, its calls and referrals) but takes no
# step in them.
READS_SIGNALS = CASEWORK | {Role.ADMIN}
FIGURES = frozenset({Role.VIEWER, Role.COORDINATOR, Role.ADMIN, Role.REGION_VIEWER, Role.REGION_ADMIN})
SOCIAL_MAP = frozenset({Role.COORDINATOR, Role.ADMIN})
# Partners are the region's (one link, one poster everywhere): a team's coordinator and admin keep them, and
# the region's admin.
PARTNERS = frozenset({Role.COORDINATOR, Role.ADMIN, Role.REGION_ADMIN})
PARTNER_KEYS = frozenset({Role.COORDINATOR, Role.REGION_ADMIN})
TEAM_ADMIN = frozenset({Role.ADMIN})
REGION_ADMIN = frozenset({Role.REGION_ADMIN})

ALLOWED: dict[str, frozenset[Role]] = {
    "board.board": READS_SIGNALS,
    "board.my_signals": READS_SIGNALS,
    "board.signal_page": READS_SIGNALS,
    "board.act": CASEWORK,
    "board.referral_page": CASEWORK,
    "board.referral_card": READS_SIGNALS,
    "board.new_call": CASEWORK,
    "board.call_page": CASEWORK,
    "board.call_step": CASEWORK,
    "board.phone_intake": CASEWORK,
    "board.assign_picked": frozenset({Role.COORDINATOR}),
    "board.place_in_areas": frozenset({Role.COORDINATOR}),
    "board.signal_export": frozenset({Role.COORDINATOR}),
    "figures.overview": FIGURES,
    "figures.report": FIGURES,
    "figures.export": FIGURES,
    "admin.colleagues": frozenset({Role.COORDINATOR}),
    "admin.users": TEAM_ADMIN,
    "admin.edit_user": TEAM_ADMIN,
    "admin.areas": TEAM_ADMIN,
    "admin.edit_area": TEAM_ADMIN,
    "admin.remove_area": TEAM_ADMIN,
    "admin.settings": TEAM_ADMIN,
    "admin.audit_trail": TEAM_ADMIN | REGION_ADMIN,
    "admin.organisations": REGION_ADMIN,
    "admin.edit_organisation": REGION_ADMIN,
    "admin.make_fallback_organisation": REGION_ADMIN,
    "admin.partners": PARTNERS,
    "admin.edit_partner": PARTNERS,
    "admin.poster": PARTNERS,
    "admin.api_keys": PARTNER_KEYS,
    "admin.revoke_api_key": PARTNER_KEYS,
    "admin.social_map": SOCIAL_MAP,
    "admin.edit_initiative": SOCIAL_MAP,
    "admin.initiative_year_report": SOCIAL_MAP,
    "admin.import_social_map": SOCIAL_MAP,
    "admin.export_social_map": SOCIAL_MAP,
    "admin.social_map_template": SOCIAL_MAP,
}


# Forms that open only while the signal is in a state that allows their step: no control opens them.
STATEFUL = frozenset({"board.referral_page", "board.new_call"})


def is_staff_endpoint(endpoint: str) -> bool:
    return endpoint not in PUBLIC_ENDPOINTS and endpoint.split(".", 1)[0] not in PUBLIC_BLUEPRINTS
