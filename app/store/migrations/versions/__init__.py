"""One file per schema revision; each is tested against a stored database of the older one."""
