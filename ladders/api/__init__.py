"""The read-only REST API over published framework versions (README "REST API")."""
