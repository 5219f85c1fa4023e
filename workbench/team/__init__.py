"""Annotation teams: agreement between annotators."""
