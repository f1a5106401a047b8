FROM alpine:${TAG:i}
