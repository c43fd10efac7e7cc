"""Status rules for signals. Every status change and the reporter's view of a status go through here."""

from signaalpunt.enums import PublicStatus, SignalStatus
from signaalpunt.models import Signal

_PUBLIC_STATUS = {
    SignalStatus.NEW: PublicStatus.RECEIVED,
    SignalStatus.ASSIGNED: PublicStatus.PICKED_UP,
    SignalStatus.IN_PROGRESS: PublicStatus.PICKED_UP,
    SignalStatus.DUPLICATE: PublicStatus.PICKED_UP,
    SignalStatus.CLOSED: PublicStatus.COMPLETED,
    SignalStatus.NOT_PURSUED: PublicStatus.COMPLETED,
}


def public_status(signal: Signal) -> PublicStatus:
    """The coarse status a reporter may see: received, picked up or completed, and nothing more."""
    return _PUBLIC_STATUS[signal.status]
