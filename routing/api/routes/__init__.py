"""The API's routers, one per resource, each with its own OpenAPI tag."""
