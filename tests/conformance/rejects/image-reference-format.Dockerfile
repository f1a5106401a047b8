FROM alpine:
