"""The ML backend server and its learning loop."""
