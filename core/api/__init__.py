"""Pieces shared by every app's API: fields, serializers, filters, pagination, conditional requests."""
