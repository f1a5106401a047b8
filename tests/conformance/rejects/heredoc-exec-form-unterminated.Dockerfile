FROM alpine
RUN ["sh", "-c", <<EOF]
echo hi
EOF
