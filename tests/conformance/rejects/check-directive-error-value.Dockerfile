# check=error=maybe
# REJ011: `error` takes a boolean.
FROM debian:13-slim
RUN true
