"""Web glue the blueprints share: who may open a page, login sessions, alerts on every staff page."""
