FROM alpine
COPY <<EOF /etc/motd
version ${VERSION:0:1} says "hi
EOF
