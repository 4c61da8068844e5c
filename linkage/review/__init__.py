"""The review queue: stewards settle the matches the engine was unsure of (see `service`)."""
