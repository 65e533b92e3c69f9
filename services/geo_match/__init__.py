"""The geo_match service: places cleaned offers on the map of France."""
