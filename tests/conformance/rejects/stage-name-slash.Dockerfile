FROM alpine AS platform-arm/v7
