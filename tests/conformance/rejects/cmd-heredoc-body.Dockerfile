FROM scratch
CMD <<EOF
echo hi
EOF
