"""Build logic of the site: snippet discovery and execution, generated outputs, MkDocs hooks and checks."""
