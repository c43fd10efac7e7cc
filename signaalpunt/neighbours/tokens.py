"""Links that open something once: only a token's hash is stored."""

import hashlib


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
