FROM scratch
ENV --foo A=1
