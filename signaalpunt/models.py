"""Every model, imported in one place so the mappers and Alembic see the whole schema.

Code imports a model from its own domain package; the app factory imports this module.
"""

from signaalpunt.accounts import models as accounts  # noqa: F401
from signaalpunt.consent import models as consent  # noqa: F401
from signaalpunt.core import models as core  # noqa: F401
from signaalpunt.neighbours import models as neighbours  # noqa: F401
from signaalpunt.organisations import models as organisations  # noqa: F401
from signaalpunt.partnerapi import models as partnerapi  # noqa: F401
from signaalpunt.referrals import models as referrals  # noqa: F401
from signaalpunt.signals import models as signals  # noqa: F401
from signaalpunt.socialmap import models as socialmap  # noqa: F401
