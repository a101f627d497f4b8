"""The only place where the mail room changes data (see each module's docstring)."""
