"""The stream gateway's media side: RTSP pulls (PyAV) relayed to WebRTC viewers (aiortc).

The only package of the VMS that imports av or aiortc. `gateway.Gateway` owns every pull and
peer connection of one gateway process (`manage.py gateway`).
"""
