"""Analytics rules and modules of the cameras (filled by the analytics issue)."""
