FROM alpine AS b c
