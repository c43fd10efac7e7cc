"""What kind of neighbour a call seeks, and when a volunteer is available."""

from signaalpunt.core.labels import LabelledEnum, _l


class NeighbourHelp(LabelledEnum):
    COFFEE = "coffee", _l("Op de koffie, een praatje")
    WALK = "walk", _l("Samen wandelen")
    CAR = "car", _l("Iemand met een auto")
    LANGUAGE = "language", _l("Iemand die de taal van de persoon spreekt")
    SHOPPING = "shopping", _l("Samen boodschappen doen")
    ODD_JOBS = "odd_jobs", _l("Kleine klusjes")


class Availability(LabelledEnum):
    WEEKDAY_MORNING = "weekday_morning", _l("Doordeweeks ’s ochtends")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _l("Doordeweeks ’s middags")
    WEEKDAY_EVENING = "weekday_evening", _l("Doordeweeks ’s avonds")
    WEEKEND = "weekend", _l("In het weekend")
