"""Slack adapter on slack-bolt: translate Bolt requests in, render Block Kit out, deliver."""
