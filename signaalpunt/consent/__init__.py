"""The person's consent: what they agreed to, recorded by a worker, withdrawn with one click."""
