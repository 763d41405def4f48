"""The API's views, one module per area; each calls the selectors and services the screens call."""
