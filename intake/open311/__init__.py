"""Open311 GeoReport v2 at /open311/v2/: 12345 hotline systems and apps list the
services (one per active category), submit disputes with an API key and follow
them by number or token. Spec: http://wiki.open311.org/GeoReport_v2"""
