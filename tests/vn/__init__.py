"""Tests of linkage.vn, the Vietnamese knowledge library."""
