"""Quote attributions (who said what): records, PolNeAR brat reader, evaluation."""
