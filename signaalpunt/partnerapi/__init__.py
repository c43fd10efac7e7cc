"""The partner API's domain: API keys for partner apps, the services a partner can report to (Open311
GeoReport v2), turning a posted request into a report by the web form's own rules, and what a request may show."""
