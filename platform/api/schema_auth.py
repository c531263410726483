"""The OpenAPI schema's description of `Authorization: Bearer <key>` (api.authentication):
drf-spectacular documents an authentication class only through such an extension."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organization's API key (`tj_...`), made on the API keys page.",
        }
