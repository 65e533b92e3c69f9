"""The clean service: turns raw offers into normalised offers, or rejects them with a reason."""
