"""The status moves DESIGN.md names ("Status machine"), written down once for the tests that check the rules."""

from signaalpunt.signals.enums import SignalStatus

S = SignalStatus
# Rows of the table that keep the status (a note, a reassignment) are not moves.
DESIGNED_MOVES = {
    (S.NEW, S.ASSIGNED),
    (S.ASSIGNED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.CLOSED),
    (S.NEW, S.DUPLICATE),
    (S.ASSIGNED, S.DUPLICATE),
    (S.NEW, S.NOT_PURSUED),
    (S.CLOSED, S.IN_PROGRESS),
    (S.NOT_PURSUED, S.NEW),
    # A duplicate link undone (the daily-use issue).
    (S.DUPLICATE, S.NEW),
    # A transfer to another municipality's team, which starts it afresh (the regional issue).
    (S.ASSIGNED, S.NEW),
    (S.IN_PROGRESS, S.NEW),
}
