# check=skip=JSONArgsRecommended;errors=true
# REJ011: an option BuildKit does not know (`errors`) fails the build.
FROM debian:13-slim
RUN true
