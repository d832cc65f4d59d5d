"""The wallet core: accounts, networks, balances, sending, history, address book.

Modules by responsibility: ``addresses`` and ``amounts`` (validation), ``accounts`` (HD wallet,
imported keys, watch-only), ``networks`` and ``chain`` (presets, the chain client), ``tokens``,
``balances``, ``transactions`` (building), ``signing`` (the only code that reads keys),
``sender`` (nonce, broadcast, tracking), ``history`` (scans), ``contacts``, ``demo``.
"""
