"""Scrape service: collects job offers from the France Travail API into raw batches."""
