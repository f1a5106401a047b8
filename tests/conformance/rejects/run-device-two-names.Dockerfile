# syntax=docker/dockerfile:1-labs
FROM alpine
RUN --device=name=/dev/a,name=/dev/b true
