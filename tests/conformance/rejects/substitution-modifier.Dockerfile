FROM scratch
ENV x=${x:i}
