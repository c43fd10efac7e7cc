"""Volunteers nearest to the person first: by distance between postcode centroids when the installation has
imported them, otherwise by same PC6, then same PC4, then the nearest PC4 number."""

import math
from dataclasses import dataclass

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.neighbours.models import NeighbourCall, PostcodeCentroid, VolunteerSignup

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Ranked:
    signup: VolunteerSignup
    # Kilometres as the crow flies, when both centroids are known.
    km: float | None
    same_pc6: bool
    same_pc4: bool
    pc4_gap: int


def _compact(postcode: str | None) -> str:
    return (postcode or "").replace(" ", "")


def _km(a: PostcodeCentroid, b: PostcodeCentroid) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def ranked_signups(call: NeighbourCall, person_postcode: str | None) -> tuple[list[Ranked], bool]:
    """The call's volunteers, nearest first; and whether centroids were used (the page says which)."""
    home = _compact(person_postcode)
    wanted = {home, *(_compact(signup.postcode) for signup in call.signups)}
    centroids = {
        centroid.postcode: centroid
        for centroid in db.session.scalars(sa.select(PostcodeCentroid).where(PostcodeCentroid.postcode.in_(wanted)))
    }
    origin = centroids.get(home)
    ranked = []
    for signup in call.signups:
        there = _compact(signup.postcode)
        km = _km(origin, centroids[there]) if origin and there in centroids else None
        gap = abs(int(there[:4]) - int(home[:4])) if there[:4].isdigit() and home[:4].isdigit() else 10_000
        ranked.append(Ranked(signup, km, there == home, there[:4] == home[:4], gap))
    # Measured distances first; the rest by postcode.
    ranked.sort(key=lambda r: (r.km is None, r.km or 0.0, not r.same_pc6, not r.same_pc4, r.pc4_gap, r.signup.id))
    return ranked, origin is not None and any(r.km is not None for r in ranked)
