from cameras.media.h264 import annexb_parameter_sets, nal_types, with_parameter_sets

SPS = b"\x00\x00\x00\x01\x67\x42\x00\x1f\xaa"
PPS = b"\x00\x00\x00\x01\x68\xce\x3c\x80"
IDR = b"\x00\x00\x00\x01\x65\x88\x84\x00"


def test_it_finds_nal_types() -> None:
    assert nal_types(SPS + PPS + IDR) == {7, 8, 5}


def test_a_bare_idr_gets_the_parameter_sets_and_a_complete_one_is_left_alone() -> None:
    assert with_parameter_sets(IDR, SPS + PPS) == SPS + PPS + IDR
    assert with_parameter_sets(SPS + PPS + IDR, SPS + PPS) == SPS + PPS + IDR


def test_avcc_extradata_becomes_annexb() -> None:
    sps, pps = SPS[4:], PPS[4:]
    avcc = bytes([1, 0x42, 0, 0x1F, 0xFF, 0xE1]) + len(sps).to_bytes(2, "big") + sps
    avcc += bytes([1]) + len(pps).to_bytes(2, "big") + pps
    assert annexb_parameter_sets(avcc) == SPS + PPS
    assert annexb_parameter_sets(SPS + PPS) == SPS + PPS
    assert annexb_parameter_sets(None) == b""
