"""A virtual ONVIF camera fleet: the device side of the ONVIF SOAP services, in one process."""
