"""Staff broadcasts, deadline reminders and their exactly-once delivery."""
