"""Platform adapters: each translates platform input to a Request and renders Replies."""
