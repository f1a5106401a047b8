# syntax=docker/dockerfile:1-labs
FROM alpine
RUN --device=vendor.com/gpu=all,mode=rw true
