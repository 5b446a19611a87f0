"""Terminal console adapter: chat with the bot locally, drivable through injected streams."""
