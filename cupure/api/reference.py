"""The API's human-readable reference, rendered from its own OpenAPI schema (so the two never disagree)."""

from __future__ import annotations

from django.shortcuts import render

from .views import api


def _type(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(x, components) for x in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}), components)}"
    return schema.get("format") or schema.get("type", "any")


def reference(request):
    spec = api.get_openapi_schema()
    components = spec.get("components", {}).get("schemas", {})
    groups: dict[str, list] = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type(p.get("schema", {}), components),
                    "description": p.get("description", "") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = [
                (
                    code,
                    r.get("description", ""),
                    _type(r.get("content", {}).get("application/json", {}).get("schema", {}), components)
                    if r.get("content")
                    else "",
                )
                for code, r in op.get("responses", {}).items()
            ]
            secured = bool(op.get("security"))
            groups.setdefault((op.get("tags") or ["other"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": "/api/v1" + path.removeprefix("/api/v1"),
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": _type(body, components) if body else "",
                    "responses": responses,
                    "secured": secured,
                    "anchor": op.get("operationId", ""),
                }
            )
    schemas = [
        {
            "name": name,
            "fields": [
                (f, _type(d, components), f in c.get("required", []), d.get("description", ""))
                for f, d in c.get("properties", {}).items()
            ],
        }
        for name, c in sorted(components.items())
    ]
    return render(request, "api/reference.html", {"spec": spec, "groups": groups, "schemas": schemas})
