"""Precompiled contracts the demo deploys (DemoToken.vy and its ABI + bytecode)."""
