"""The HTTP layer every feature shares, one concern a module.

- `api`: flask-smorest's `Api` and `Blueprint`, the JSON argument parser, the Flask class;
- `framework`: every override of a framework's private method, each naming what it mirrors;
- `operations`: the decorator stacks of the standard operations (list, create, read, …);
- `routes`: the facts a view declares about its route (`@public`, `@idempotent`);
- `hooks`: request id, CORS, preflight and 415, the settings of the current app;
- `conditional`: `ETag` and `If-Match` (werkzeug parses the header);
- `paging`: list pages with signed, caller-bound cursors;
- `converters`: the ULID path converter;
- `envelope`: API.md's error envelope for every failure;
- `idempotency`: the request hooks that apply `Idempotency-Key`;
- `openapi`: what the generated document says beyond the schemas.
"""
