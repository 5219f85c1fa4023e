"""The workbench's version, in one place every layer can import without importing the API."""

VERSION = "0.1.0"
