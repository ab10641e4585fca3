"""The API reference page at `GET /docs`: ReDoc rendering the served OpenAPI document, from
files the package ships (`static/`), so it needs no network beyond the API itself."""
