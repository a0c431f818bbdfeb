"""People, sessions, tokens and the authorisation policy: the identity floor (standard 4.4.1 a/b, 5.1.2).

Imports only ``common`` and ``store``; the layers above receive what they need by injection.
"""
