"""Figures, the anonymous CSV export and the printable coalition report."""

from dataclasses import dataclass

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import dutch_today, utcnow
from signaalpunt.core.request_input import id_arg
from signaalpunt.figures import bp
from signaalpunt.figures.forms import PeriodForm
from signaalpunt.neighbours.figures import network_figures
from signaalpunt.organisations.areas import organisation_areas
from signaalpunt.organisations.models import Area, Organisation
from signaalpunt.organisations.routing import all_organisations
from signaalpunt.referrals.figures import referral_figures
from signaalpunt.signals.export import csv_stream, export_rows
from signaalpunt.signals.figures import Period, compute_figures, period_sums
from signaalpunt.web.access import roles_required

FIGURE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.VIEWER, Role.REGION_VIEWER, Role.REGION_ADMIN)


@dataclass(frozen=True)
class Scope:
    """Whose figures: one team (optionally one of its areas), or for the region's roles every team or one."""

    organisation_ids: tuple[int, ...]
    area_id: int | None
    # The choices of the second filter: a team's areas, or the region's teams.
    areas: list[Area]
    teams: list[Organisation]
    team_id: int | None


def _scope() -> Scope:
    if current_user.role.is_regional:
        teams = all_organisations()
        team_id = id_arg("team")
        chosen = tuple(team.id for team in teams if team.id == team_id)
        return Scope(chosen or tuple(team.id for team in teams), None, [], teams, chosen[0] if chosen else None)
    areas = organisation_areas(current_user.organisation_id)
    area_id = id_arg("werkgebied")
    area_id = area_id if any(area.id == area_id for area in areas) else None
    return Scope((current_user.organisation_id,), area_id, areas, [], None)


def _filters() -> tuple[PeriodForm, Period, Scope]:
    form = PeriodForm(request.args)
    period = form.checked_period(default=Period.last_weeks(dutch_today()))
    return form, period, _scope()


def _figures(with_staff: bool) -> dict:
    form, period, scope = _filters()
    sums = period_sums(scope.organisation_ids, period, scope.area_id)
    return {
        "figures": compute_figures(sums, utcnow(), with_staff),
        "referrals": referral_figures(sums),
        "networks": network_figures(sums),
        "form": form,
        "period": period,
        "scope": scope,
        "area_id": scope.area_id,
        "areas": scope.areas,
    }


@bp.route("/")
@roles_required(*FIGURE_ROLES)
def overview() -> str:
    shows_staff = current_user.role in (Role.ADMIN, Role.COORDINATOR)
    return render_template("figures/overview.html", **_figures(with_staff=shows_staff))


@bp.route("/rapport")
@roles_required(*FIGURE_ROLES)
def report() -> str:
    """A printable report for the coalition: key figures and charts, no staff names."""
    return render_template("figures/report.html", **_figures(with_staff=False))


@bp.route("/export.csv")
@roles_required(*FIGURE_ROLES)
def export() -> Response | tuple[str, int]:
    form, period, scope = _filters()
    if form.errors:
        # The whole file or none: a refused period is said plainly rather than exported as another one.
        return render_template("figures/export_refused.html", form=form), 400
    delimiter = ";" if request.args.get("scheiding") == "puntkomma" else ","
    audit.record_reading("figures.export", object_type="period", object_key=f"{period.first}/{period.last}")
    rows = export_rows(scope.organisation_ids, period, scope.area_id)
    filename = f"signaalpunt-{period.first}-{period.last}.csv"
    return Response(
        stream_with_context(csv_stream(rows, delimiter)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
