"""One HTTP answer of the simulator."""

import json


class Reply:
    def __init__(self, status: int, body: object = b"", *, headers: dict | None = None):
        self.status = status
        self.headers = dict(headers or {})
        if isinstance(body, dict | list):
            self.body = json.dumps(body).encode()
            self.headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            self.body = body.encode()
            self.headers.setdefault("Content-Type", "text/html; charset=utf-8")
        else:
            self.body = body  # type: ignore[assignment]
