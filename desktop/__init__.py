"""Safe Communities Desk: decide, record and print the City's response to federal immigration requests."""

__version__ = "0.1.0"
APP_NAME = "Safe Communities Desk"
