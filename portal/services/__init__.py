"""Domain logic shared by the public and staff blueprints. Views call these; only these query."""
