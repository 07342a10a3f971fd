"""Camera configuration (issue: media profiles, encoders, sources, audio, metadata,
multicast): every change is checked against the camera's own options, sent to the camera,
re-read from it, and written to the audit log (ConfigurationChange).

Views, API endpoints and templates call `services`; only `services` talks to the camera.
"""
