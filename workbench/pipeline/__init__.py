"""Pipelines over the layers below: pre-annotation (one for push and files), push, pull, engines."""
