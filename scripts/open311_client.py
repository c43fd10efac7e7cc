#!/usr/bin/env python3
"""A small Open311 client a partner can copy: send one worry, then follow its status. Standard library only.

    python3 scripts/open311_client.py https://signaalpunt.example.nl/open311/v2 sp_yourkey "4531 AB 12" \\
        "De brievenbus puilt al twee weken uit."

The same Idempotency-Key makes a retry (a lost connection, a double tap) return the first request, never a
second one.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


def call(url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, object]:
    """One request; the answer's status and its JSON (the standard's error list on failure)."""
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 - the partner's own URL
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"[]")


def report(base: str, key: str, address: str, description: str, retry_key: str | None = None) -> str:
    """Send a worry about someone else, seen by a courier; returns its reference."""
    status, answer = call(
        f"{base}/requests.json",
        {
            "api_key": key,
            "service_code": "zorg-om-ander",
            "address_string": address,
            "attribute[reporter_role]": "courier",
            "description": description,
        },
        {"Idempotency-Key": retry_key or str(uuid.uuid4())},
    )
    if status != 201:
        raise SystemExit(f"Refused ({status}): " + "; ".join(error["description"] for error in answer))
    return answer[0]["service_request_id"]


def status_of(base: str, reference: str) -> str:
    _status, answer = call(f"{base}/requests/{urllib.parse.quote(reference)}.json")
    return answer[0]["status_notes"]


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    base_url, api_key, where, what = sys.argv[1:]
    reference = report(base_url.rstrip("/"), api_key, where, what)
    print(reference, status_of(base_url.rstrip("/"), reference))
