"""Text in: articles (formats, encodings), sentences (roles, offsets), language."""
