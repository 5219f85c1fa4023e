"""The claim classifier: cues, cold-start rules, features, the model, its files and reports."""
