"""Live media of the virtual camera (clause 10): a rendered scene, encoded and served over RTSP.

One ``CameraMedia`` per camera, next to its web server:

- ``media = CameraMedia(camera, auth=True, session_timeout=60.0, multicast=False)``
- ``await media.start()`` (RTSP on ``camera.host:camera.rtsp_port``; port 0 takes a free one and
  writes it back) and ``await media.stop()``
- ``media.snapshot_handler``: aiohttp handler for GET ``/snapshot/{token}``
- ``media.tunnel_handler``: aiohttp handler for GET and POST ``/rtsp-over-http/{token}``
- ``media.synchronize(profile_token)``: SetSynchronizationPoint
- ``media.start_multicast(token)`` / ``media.stop_multicast(token)``: Start/StopMulticastStreaming
  (the runtime's ``multicast`` set is also followed); multicast needs ``multicast=True``
- ``media.backchannel[audio_output_token].audio()``: what the back channel received
"""

from simulator.media.hub import CameraMedia

__all__ = ["CameraMedia"]
