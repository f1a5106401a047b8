FROM scratch
VOLUME ["", "/data"]
