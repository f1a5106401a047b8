# syntax=docker/dockerfile:1-labs
FROM alpine
RUN --device=vendor.com/gpu=all,required=maybe true
