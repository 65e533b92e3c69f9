"""Chart service: draws the monthly chart set of one role across France and its regions."""
