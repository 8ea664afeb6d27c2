"""The nofault web app: a Django project, one app per domain noun."""
