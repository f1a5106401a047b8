FROM scratch
ARG NET=host
RUN --network=$NET true
