"""Records, errors, the label vocabulary, atomic files and batching: what every layer uses."""
