"""Warden's pure-Python core: wallet, chain client, encrypted store, secrets, events, config.

Nothing here imports ``ui``, ``delegates`` or ``models``; what the core needs from them it
states as small ``Protocol`` ports (see ``app.ports``) and the composition root plugs them in.
"""
