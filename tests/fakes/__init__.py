"""Local fakes of chat platforms: real HTTP servers on 127.0.0.1, never the internet."""
