FROM alpine XX b
