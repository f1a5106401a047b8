FROM scratch
EXPOSE abc
