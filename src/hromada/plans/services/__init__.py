"""Every write of the plans module, split by entity."""
