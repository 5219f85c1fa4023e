"""Everything Label Studio: label configs, task and prediction formats, exports, the client, the embedded server."""
