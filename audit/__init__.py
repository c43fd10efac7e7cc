"""``make audit``: the app under gunicorn with demo data, probed from the outside by tools nobody on the team wrote
(sqlmap, wapiti) and by an access-control sweep over the app's own URL map. See SECURITY.md."""
