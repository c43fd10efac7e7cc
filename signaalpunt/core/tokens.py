"""Secrets handed out once (links in mail, sessions, API keys): only a token's hash is ever stored."""

import hashlib


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
