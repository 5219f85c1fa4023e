"""Claim annotation workbench for fact-checking teams, on top of Label Studio."""

__version__ = "0.1.0"
