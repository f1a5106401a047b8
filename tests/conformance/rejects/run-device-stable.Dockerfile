FROM scratch
RUN --device=nvidia.com/gpu=all true
