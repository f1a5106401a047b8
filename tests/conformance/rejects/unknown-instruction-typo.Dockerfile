FROM scratch
RUNN echo
