"""SCIM 2.0 provisioning: an identity provider creates, updates and deactivates people and
teams through /scim/v2/ (django-scim2), with a bearer token of its own."""
