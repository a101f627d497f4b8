"""Calling the API v1 from tests as a given user, with a bearer token."""

import json

from guichet.accounts.actions import create_token

BASE = "/api/v1"


class ApiCaller:
    """`api.as_(alice).post("/tickets", {...})` → the Django test client's response."""

    def __init__(self, client, user=None, headers: dict | None = None):
        self.client = client
        self.user = user
        self.headers = headers or {}

    def as_(self, user) -> "ApiCaller":
        _token, key = create_token(user=user)
        return ApiCaller(self.client, user, {"HTTP_AUTHORIZATION": f"Bearer {key}"})

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(BASE + path, params or {}, **self.headers, **headers)

    def _send(self, method: str, path: str, body):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data, content_type="application/json", **self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, {} if body is None else body)

    def delete(self, path: str):
        return self.client.delete(BASE + path, **self.headers)

    def upload(self, path: str, files: dict, data: dict | None = None):
        return self.client.post(BASE + path, {**(data or {}), **files}, **self.headers)
