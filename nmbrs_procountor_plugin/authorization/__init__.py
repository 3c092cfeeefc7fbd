"""Authorizing a Procountor account: the login URL, the redirect back, the icon's state, removal."""
