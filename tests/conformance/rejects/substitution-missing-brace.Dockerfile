FROM scratch
ENV A=${HOME
