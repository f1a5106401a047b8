FROM alpine:3 foo bar
