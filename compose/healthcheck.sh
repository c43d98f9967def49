#!/bin/bash
# Healthy when the node serves its metrics on loopback (it does so only after every role started).
exec 3<>/dev/tcp/127.0.0.1/9464 || exit 1
printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
grep -q '^amtbus_' <&3
