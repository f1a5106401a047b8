FROM scratch
LABEL a=${}
