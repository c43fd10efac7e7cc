"""The OpenAPI 3.1 description of the Open311 endpoints, for partner developers and their tools."""

from signaalpunt.partnerapi.services import SERVICES

ERROR = {"$ref": "#/components/schemas/Errors"}
FORMAT = {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}


def _responses(ok: dict, *errors: int) -> dict:
    found = {"200": {"description": "OK", "content": {"application/json": {"schema": ok}, "text/xml": {}}}}
    for code in errors:
        found[str(code)] = {"description": "Error", "content": {"application/json": {"schema": ERROR}}}
    return found


def openapi_document() -> dict:
    codes = [service.code for service in SERVICES]
    public_request = {
        "type": "object",
        "description": "Only the reference, the coarse status, the service, the dates and the PC4: never a name, "
        "street, house number, description or outcome.",
        "properties": {
            "service_request_id": {"type": "string", "example": "SP-7K3M-Q9XA"},
            "status": {"enum": ["open", "closed"]},
            "status_notes": {"enum": ["ontvangen", "opgepakt", "afgerond"]},
            "service_name": {"type": "string"},
            "service_code": {"enum": codes},
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": {"type": "string", "format": "date-time"},
            "zipcode": {"type": "string", "pattern": "^([1-9][0-9]{3})?$"},
        },
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
    }
    key = {"name": "api_key", "in": "query", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Signaalpunt tegen Eenzaamheid: Open311 GeoReport v2",
            "version": "2",
            "description": "Send a worry about someone from a partner app in one tap. Requests are form-encoded, as "
            "the standard says; every answer is JSON or XML as the path's extension says.",
        },
        "paths": {
            "/open311/v2/discovery.{fmt}": {
                "get": {"parameters": [FORMAT], "responses": _responses({"type": "object"})}
            },
            "/open311/v2/services.{fmt}": {
                "get": {
                    "parameters": [FORMAT, {"name": "jurisdiction_id", "in": "query", "schema": {"type": "string"}}],
                    "responses": _responses({"type": "array", "items": {"type": "object"}}, 400, 404),
                }
            },
            "/open311/v2/services/{service_code}.{fmt}": {
                "get": {
                    "parameters": [
                        {"name": "service_code", "in": "path", "required": True, "schema": {"enum": codes}},
                        FORMAT,
                    ],
                    "responses": _responses({"type": "object"}, 404),
                }
            },
            "/open311/v2/requests.{fmt}": {
                "post": {
                    "parameters": [
                        FORMAT,
                        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 200}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "required": ["api_key", "service_code"],
                                    "properties": {
                                        "api_key": {"type": "string"},
                                        "service_code": {"enum": codes},
                                        "jurisdiction_id": {"type": "string"},
                                        "address_string": {"type": "string", "example": "4531 AB 12"},
                                        "description": {"type": "string", "maxLength": 2000},
                                        "first_name": {"type": "string"},
                                        "last_name": {"type": "string"},
                                        "email": {"type": "string"},
                                        "phone": {"type": "string"},
                                        "attribute[postcode]": {"type": "string"},
                                        "attribute[house_number]": {"type": "string"},
                                        "attribute[observations][]": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "Stored (or found again by its Idempotency-Key)"},
                        **{k: v for k, v in _responses({}, 400, 403, 404, 413, 429).items() if k != "200"},
                    },
                },
                "get": {
                    "parameters": [
                        FORMAT,
                        key,
                        {"name": "service_request_id", "in": "query", "schema": {"type": "string"}},
                        {"name": "start_date", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                        {"name": "end_date", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                        {"name": "status", "in": "query", "schema": {"enum": ["open", "closed"]}},
                    ],
                    "responses": _responses({"type": "array", "items": public_request}, 400, 403),
                },
            },
            "/open311/v2/requests/{service_request_id}.{fmt}": {
                "get": {
                    "parameters": [
                        {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        FORMAT,
                    ],
                    "responses": _responses({"type": "array", "items": public_request}, 404),
                }
            },
        },
        "components": {
            "schemas": {
                "Errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
                        "required": ["code", "description"],
                    },
                }
            }
        },
    }
