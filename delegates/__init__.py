"""Delegates: transaction review, market analysis and routine watchers, with their runtime."""
